import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { placeOrder } from '../helpers/shopper';
import { ADMIN, paidOrder, waitForRefundStatus, type RefundView } from './support';

// A shopper asks for their money back on their own paid order; the shop lists pending requests,
// grants one (a refund of what is left) or declines it with a note the shopper reads.

interface RequestView {
    readonly id: number;
    readonly order_id: number;
    readonly status: string;
    readonly note: string | null;
}

for (const { kind, create } of databaseKinds()) {
    describe(`refund requests on ${kind}`, () => {
        let app: TestApp;
        let alice: { token: string };
        let bob: { token: string };

        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...NO_ORDER_LIMITS } });
            alice = await app.login();
            bob = await app.login();
        });
        after(() => app.stop().then(() => app.database.drop()));

        const ask = (token: string, orderId: number, reason: unknown = 'arrived broken') =>
            app.inject({ method: 'POST', url: `/orders/${orderId}/refund-requests`, headers: bearer(token), payload: { reason } });
        const pending = async () => (await app.inject({ method: 'GET', url: '/admin/refund-requests?status=pending', headers: ADMIN })).result as RequestView[];
        const shopperView = async (orderId: number) =>
            (await app.inject({ method: 'GET', url: `/orders/${orderId}`, headers: bearer(alice.token) })).result as { status: string; refunded_fee: number; refund_requests: RequestView[] };

        it('granted: a refund of what is left, and the shopper sees the order refunded', async () => {
            const order = await paidOrder(app, alice.token);
            const asked = await ask(alice.token, order.id);
            assert.equal(asked.statusCode, 201, asked.payload);
            const request = asked.result as RequestView;
            assert.equal(request.status, 'pending');
            assert.equal((await ask(alice.token, order.id)).statusCode, 409, 'one pending request per order');
            assert.ok((await pending()).some((one) => one.id === request.id));

            const granted = await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/grant`, headers: ADMIN });
            assert.equal(granted.statusCode, 202, granted.payload);
            const { refund } = granted.result as { refund: RefundView };
            assert.equal(refund.refund_fee, order.total_fee);
            assert.equal((await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/grant`, headers: ADMIN })).statusCode, 409);
            assert.ok(!(await pending()).some((one) => one.id === request.id));

            await waitForRefundStatus(app, order.id, refund.out_refund_no, 'succeeded');
            const view = await shopperView(order.id);
            assert.equal(view.status, 'refunded');
            assert.equal(view.refunded_fee, order.total_fee);
            assert.deepEqual(view.refund_requests.map(({ status }) => status), ['granted']);
        });

        it('declined: the shopper reads the note, the order stays paid', async () => {
            const order = await paidOrder(app, alice.token);
            const request = (await ask(alice.token, order.id)).result as RequestView;
            const declined = await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/decline`, headers: ADMIN, payload: { note: 'used items cannot be returned' } });
            assert.equal(declined.statusCode, 200, declined.payload);
            const view = await shopperView(order.id);
            assert.equal(view.status, 'paid');
            assert.deepEqual(view.refund_requests.map(({ status, note }) => ({ status, note })), [{ status: 'declined', note: 'used items cannot be returned' }]);
        });

        it("only on the owner's paid order, with a reason", async () => {
            const paid = await paidOrder(app, alice.token);
            assert.equal((await ask(bob.token, paid.id)).statusCode, 404, "another shopper's order");
            assert.equal((await ask(alice.token, (await placeOrder(app, alice.token)).id)).statusCode, 409, 'an unpaid order');
            const blank = await ask(alice.token, paid.id, '');
            assert.equal(blank.statusCode, 400);
            assert.match(blank.payload, /reason/);
            assert.equal((await app.inject({ method: 'GET', url: '/admin/refund-requests', headers: bearer(alice.token) })).statusCode, 401, "a shopper's token on the merchant API");
        });
    });
}
