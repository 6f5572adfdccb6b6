import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { applyTransition, OrderStatus, TRANSITIONS } from '../../src/services/order-states';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { FAST_UPLOADS, paidOrder, ship } from './support';

// After the money: paid → shipped → completed, and a full refund stays possible from each.
describe('the order state machine after payment', () => {
    it('ships a paid order, completes a shipped one, and refunds from paid, shipped and completed', () => {
        assert.deepEqual(TRANSITIONS.ship, { from: [OrderStatus.paid], to: OrderStatus.shipped });
        assert.deepEqual(TRANSITIONS.complete, { from: [OrderStatus.shipped], to: OrderStatus.completed });
        assert.deepEqual([...TRANSITIONS.refund.from].sort(), [OrderStatus.completed, OrderStatus.paid, OrderStatus.shipped].sort());
        assert.equal(TRANSITIONS.refund.to, OrderStatus.refunded);
    });
});

for (const { kind, create } of databaseKinds()) {
    describe(`refunding a shipped or completed order on ${kind}`, () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS } });
        });
        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        it('moves a shipped order and a completed one to refunded, each once', async () => {
            const { models } = app.server.app;
            const shipped = await paidOrder(app);
            assert.equal((await ship(app, shipped.id)).statusCode, 201);
            const completed = await paidOrder(app);
            assert.equal((await ship(app, completed.id)).statusCode, 201);
            assert.ok(await applyTransition(models, completed.id, 'complete', OrderStatus.shipped));

            assert.ok(await applyTransition(models, shipped.id, 'refund', OrderStatus.shipped));
            assert.ok(await applyTransition(models, completed.id, 'refund', OrderStatus.completed));
            assert.equal(await applyTransition(models, shipped.id, 'refund', OrderStatus.shipped), false, 'already refunded');
            for (const id of [shipped.id, completed.id]) {
                assert.equal((await models.Order.findByPk(id))!.status, OrderStatus.refunded);
            }
        });
    });
}
