import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { placeOrder } from '../helpers/shopper';
import { paidOrder, refund, refundsOf, waitForRefundStatus, type RefundView } from './support';

// The merchant refunds a paid order over /secapi (the simulator's TLS listener, the dev
// certificate): accepted first, succeeded when WeChat's notification arrives; the shopper sees it.

for (const { kind, create } of databaseKinds()) {
    describe(`refunds on ${kind}`, () => {
        let app: TestApp;
        let token: string;

        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...NO_ORDER_LIMITS } });
            ({ token } = await app.login());
        });
        after(() => app.stop().then(() => app.database.drop()));

        it('a full refund is accepted (processing), then succeeds and the order reads refunded', async () => {
            const order = await paidOrder(app, token);
            const response = await refund(app, order.id, { refund_fee: order.total_fee, reason: 'out of stock' });
            assert.equal(response.statusCode, 202, response.payload);
            const created = response.result as RefundView & { order_id: number; reason: string };
            assert.equal(created.status, 'processing');
            assert.equal(created.order_id, order.id);
            assert.equal(created.reason, 'out of stock');
            assert.match(created.out_refund_no, /^RF\d{14}[0-9a-f]{12}$/);
            assert.ok(created.refund_id, 'WeChat accepted it');

            await waitForRefundStatus(app, order.id, created.out_refund_no, 'succeeded');
            const seen = await app.inject({ method: 'GET', url: `/orders/${order.id}`, headers: bearer(token) });
            const view = seen.result as { status: string; refunded_fee: number; refunds: Array<{ refund_fee: number; status: string }> };
            assert.equal(view.status, 'refunded');
            assert.equal(view.refunded_fee, order.total_fee);
            assert.deepEqual(view.refunds.map(({ refund_fee, status }) => ({ refund_fee, status })), [{ refund_fee: order.total_fee, status: 'succeeded' }]);
        });

        it('a partial refund keeps the order paid and shows the refunded amount', async () => {
            const order = await paidOrder(app, token);
            const created = (await refund(app, order.id, { refund_fee: 100 })).result as RefundView;
            await waitForRefundStatus(app, order.id, created.out_refund_no, 'succeeded');
            const view = (await app.inject({ method: 'GET', url: `/orders/${order.id}`, headers: bearer(token) })).result as { status: string; refunded_fee: number };
            assert.equal(view.status, 'paid');
            assert.equal(view.refunded_fee, 100);
        });

        it('refuses more than is left, an unpaid order, a bad fee and an unknown order', async () => {
            const order = await paidOrder(app, token);
            assert.equal((await refund(app, order.id, { refund_fee: order.total_fee - 1 })).statusCode, 202);
            const over = await refund(app, order.id, { refund_fee: 2 });
            assert.equal(over.statusCode, 409);
            assert.match(over.payload, /exceeds what is left to refund .*\(1 fen\)/);

            const unpaid = await placeOrder(app, token);
            assert.equal((await refund(app, unpaid.id, { refund_fee: 1 })).statusCode, 409);
            for (const refund_fee of [0, -1, 1.5, '10']) {
                const bad = await refund(app, order.id, { refund_fee });
                assert.equal(bad.statusCode, 400, String(refund_fee));
                assert.match(bad.payload, /refund_fee/);
            }
            assert.equal((await refund(app, 999_999, { refund_fee: 1 })).statusCode, 404);
        });

        it('concurrent refunds that together exceed the total: exactly the ones that fit pass', async () => {
            const order = await paidOrder(app, token);
            const part = Math.floor(order.total_fee / 3);
            const answers = await Promise.all(Array.from({ length: 6 }, () => refund(app, order.id, { refund_fee: part })));
            assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [202, 202, 202, 409, 409, 409]);
            assert.equal((await refundsOf(app, order.id)).length, 3);
        });
    });
}
