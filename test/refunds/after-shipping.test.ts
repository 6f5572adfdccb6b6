import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { ship } from '../shipping/support';
import { paidOrder, refund, settle, waitForRefundStatus } from './support';

// A refund stays possible once the goods left and after the shopper received them (a return):
// the refund route takes shipped and completed orders, and a full refund ends the order refunded.
for (const { kind, create } of databaseKinds()) {
    describe(`refunds after shipping (${kind})`, () => {
        let app: TestApp;
        let database: TestDatabase;
        let token: string;
        before(async () => {
            database = await create();
            // Real time: a refund settles when the test says so, not on its own a scaled minute later.
            app = await startTestApp({ database, env: { SIMULATOR_TIME_SCALE: '1' } });
            ({ token } = await app.login());
        });
        after(async () => {
            await app.stop();
            await database.drop();
        });

        const status = async (orderId: number) => (await app.server.app.models.Order.findByPk(orderId))!.status;

        it('a shipped order refunded in full ends refunded', async () => {
            const order = await paidOrder(app, token);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const made = await refund(app, order.id, { refund_fee: order.total_fee, reason: 'lost in transit' });
            assert.equal(made.statusCode, 202, made.payload);
            const { out_refund_no: outRefundNo } = made.result as { out_refund_no: string };
            await settle(app, outRefundNo);
            await waitForRefundStatus(app, order.id, outRefundNo, 'succeeded');
            assert.equal(await status(order.id), 'refunded');
        });

        it('a completed order can be refunded in part and stays completed', async () => {
            const order = await paidOrder(app, token);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const received = await app.inject({ method: 'POST', url: `/orders/${order.id}/confirm-receipt`, headers: bearer(token) });
            assert.equal(received.statusCode, 200, received.payload);
            const made = await refund(app, order.id, { refund_fee: 100, reason: 'one item returned' });
            assert.equal(made.statusCode, 202, made.payload);
            const { out_refund_no: outRefundNo } = made.result as { out_refund_no: string };
            await settle(app, outRefundNo);
            await waitForRefundStatus(app, order.id, outRefundNo, 'succeeded');
            assert.equal(await status(order.id), 'completed');
        });
    });
}
