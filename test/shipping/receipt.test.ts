import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { getOrder } from '../helpers/shopper';
import { FAST_UPLOADS, paidOrder, ship } from './support';

const DAY_MS = 86_400_000;

// A shipped order ends `completed`: when its owner confirms receipt, or on its own
// ORDER_AUTO_RECEIVE_DAYS after shipping (the job runs here on a test clock).
for (const { kind, create } of databaseKinds()) {
    describe(`receipt of a shipped order on ${kind}`, () => {
        let app: TestApp;
        let other: TestApp;
        before(async () => {
            const database = await create();
            const env = { ...FAST_UPLOADS, ...NO_ORDER_LIMITS, ORDER_AUTO_RECEIVE_DAYS: '3', AUTO_RECEIVE_INTERVAL_MS: '0' };
            app = await startTestApp({ database, env });
            // A second instance on the same database, running the same job.
            other = await startTestApp({ database, env, listen: false });
        });
        after(async () => {
            await other.stop();
            await app.stop();
            await app.database.drop();
        });

        const confirm = (orderId: number, token: string) => app.inject({ method: 'POST', url: `/orders/${orderId}/confirm-receipt`, headers: bearer(token) });

        it('is confirmed by the owner, which completes the order once', async () => {
            const order = await paidOrder(app);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const confirmed = await confirm(order.id, order.token);
            assert.equal(confirmed.statusCode, 200, confirmed.payload);
            assert.equal((confirmed.result as { status: string }).status, 'completed');
            assert.equal((await getOrder(app, order.token, order.id)).status, 'completed');
            const again = await confirm(order.id, order.token);
            assert.equal(again.statusCode, 409);
            assert.match((again.result as { message: string }).message, /is completed/);
        });

        it('is refused to another shopper (404) and for an order not shipped (409)', async () => {
            const order = await paidOrder(app);
            const stranger = await app.login();
            assert.equal((await confirm(order.id, order.token)).statusCode, 409, 'paid, not shipped');
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const refused = await confirm(order.id, stranger.token);
            assert.equal(refused.statusCode, 404);
            assert.equal((await getOrder(app, order.token, order.id)).status, 'shipped');
        });

        it('comes on its own after the configured days, once, with two instances running the job', async () => {
            const order = await paidOrder(app);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const overdueAt = Date.now() + 3 * DAY_MS + 60_000;

            assert.equal(await app.server.services().receipts.runOnce(new Date(Date.now() + 2 * DAY_MS)), 0);
            assert.equal((await getOrder(app, order.token, order.id)).status, 'shipped');

            const shippedOrders = await app.server.app.models.Order.count({ where: { status: 'shipped' } });
            const completed = await Promise.all([app, other].map((instance) => instance.server.services().receipts.runOnce(new Date(overdueAt))));
            assert.equal(completed.reduce((sum, count) => sum + count, 0), shippedOrders, 'each order completed by one instance only');
            assert.equal((await getOrder(app, order.token, order.id)).status, 'completed');
            const row = await app.server.app.models.Order.findByPk(order.id);
            assert.ok(row!.completedAt);
            // MySQL's DATETIME keeps whole seconds.
            assert.ok(Math.abs(row!.completedAt!.getTime() - overdueAt) < 1000, 'completed at the job\'s clock');
        });
    });
}
