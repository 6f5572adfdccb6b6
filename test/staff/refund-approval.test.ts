import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { createStaff, signIn, type StaffBrowser } from '../helpers/staff';
import { ADMIN, paidOrder, waitForRefundStatus, type RefundView } from '../refunds/support';

// A refund above REFUND_APPROVAL_ABOVE_FEN is stored and waits: WeChat is not asked until a
// second staff member (owner or finance), not the one who asked, approves it. While it waits it
// counts against what is left to refund; declining it cancels it.

const THRESHOLD = 1000;

interface ApprovalView extends RefundView {
    readonly requested_by: { id: number; name: string } | null;
    readonly reviewed_by: { id: number; name: string } | null;
}

for (const { kind, create } of databaseKinds()) {
    describe(`refund approval on ${kind}`, () => {
        let app: TestApp;
        let token: string;
        let fiona: StaffBrowser;
        let fred: StaffBrowser;
        let alice: StaffBrowser;

        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...NO_ORDER_LIMITS, REFUND_APPROVAL_ABOVE_FEN: String(THRESHOLD) } });
            ({ token } = await app.login());
            await createStaff(app, 'alice', 'owner');
            await createStaff(app, 'fiona', 'finance');
            await createStaff(app, 'fred', 'finance');
            [alice, fiona, fred] = [await signIn(app, 'alice'), await signIn(app, 'fiona'), await signIn(app, 'fred')];
        });
        after(() => app.stop().then(() => app.database.drop()));

        const wechatRefunds = async (outTradeNo: string) => (await app.inject({ method: 'GET', url: `/__wechat/simulator/refunds?out_trade_no=${outTradeNo}` })).result as unknown[];
        const refundAs = (browser: StaffBrowser, orderId: number, refund_fee: number) => browser.inject({ method: 'POST', url: `/admin/orders/${orderId}/refunds`, payload: { refund_fee } });

        it('waits for a second member: not at WeChat, not approvable by its asker, approved once by the owner, then succeeds', async () => {
            const order = await paidOrder(app, token);
            const asked = await refundAs(fiona, order.id, 1500);
            assert.equal(asked.statusCode, 202, asked.payload);
            const held = asked.result as ApprovalView;
            assert.equal(held.status, 'pending_approval');
            assert.equal(held.refund_id, null);
            assert.deepEqual(held.requested_by, { id: fiona.id, name: 'fiona' });
            assert.deepEqual(await wechatRefunds(order.out_trade_no), [], 'WeChat was not asked');

            const queue = (await alice.inject({ method: 'GET', url: '/admin/refunds?status=pending_approval' })).result as { results: ApprovalView[] };
            assert.deepEqual(queue.results.map((one) => one.id), [held.id]);

            const byAsker = await fiona.inject({ method: 'POST', url: `/admin/refunds/${held.id}/approve` });
            assert.equal(byAsker.statusCode, 403, byAsker.payload);
            assert.match(byAsker.payload, /another staff member/);
            const byKey = await app.inject({ method: 'POST', url: `/admin/refunds/${held.id}/approve`, headers: ADMIN });
            assert.equal(byKey.statusCode, 403, 'the API key is no second person');
            assert.deepEqual(await wechatRefunds(order.out_trade_no), []);

            const approved = await alice.inject({ method: 'POST', url: `/admin/refunds/${held.id}/approve` });
            assert.equal(approved.statusCode, 202, approved.payload);
            const sent = approved.result as ApprovalView;
            assert.equal(sent.status, 'processing');
            assert.ok(sent.refund_id, 'WeChat accepted it');
            assert.deepEqual(sent.reviewed_by, { id: alice.id, name: 'alice' });
            assert.equal((await wechatRefunds(order.out_trade_no)).length, 1, 'WeChat asked once');
            assert.equal((await fred.inject({ method: 'POST', url: `/admin/refunds/${held.id}/approve` })).statusCode, 409, 'decided once');
            assert.equal((await wechatRefunds(order.out_trade_no)).length, 1);

            // The simulator's bank settles it a simulated minute later; its notification follows.
            await waitForRefundStatus(app, order.id, sent.out_refund_no, 'succeeded');
        });

        it('counts against what is left while it waits: two cannot exceed the total', async () => {
            const order = await paidOrder(app, token);
            assert.equal((await refundAs(fiona, order.id, 1500)).statusCode, 202);
            const over = await refundAs(fred, order.id, order.total_fee - 1500 + 1);
            assert.equal(over.statusCode, 409, over.payload);
            assert.match(over.payload, /exceeds what is left to refund .*\(360 fen\)/);
            const small = await refundAs(fred, order.id, 360);
            assert.equal(small.statusCode, 202);
            assert.equal((small.result as RefundView).status, 'processing', 'below the threshold: asked at once');
        });

        it('declined: cancelled, never at WeChat, and what it held is free again', async () => {
            const order = await paidOrder(app, token);
            const held = (await refundAs(fiona, order.id, 1500)).result as RefundView;
            const declined = await fred.inject({ method: 'POST', url: `/admin/refunds/${held.id}/reject`, payload: { note: 'check with the shopper first' } });
            assert.equal(declined.statusCode, 200, declined.payload);
            const cancelled = declined.result as ApprovalView;
            assert.equal(cancelled.status, 'cancelled');
            assert.equal(cancelled.failure_code, 'APPROVAL_DECLINED');
            assert.equal(cancelled.failure_message, 'check with the shopper first');
            assert.equal((await alice.inject({ method: 'POST', url: `/admin/refunds/${held.id}/approve` })).statusCode, 409);
            assert.deepEqual(await wechatRefunds(order.out_trade_no), []);
            assert.equal((await refundAs(alice, order.id, order.total_fee)).statusCode, 202, 'the whole total can be asked for again');
        });

        it("a shopper's request granted above the threshold waits too; declining it puts the request back in the queue", async () => {
            const order = await paidOrder(app, token);
            const asked = await app.inject({ method: 'POST', url: `/orders/${order.id}/refund-requests`, headers: { authorization: `Bearer ${token}` }, payload: { reason: 'arrived broken' } });
            const requestId = (asked.result as { id: number }).id;
            const granted = await fiona.inject({ method: 'POST', url: `/admin/refund-requests/${requestId}/grant` });
            assert.equal(granted.statusCode, 202, granted.payload);
            const { refund } = granted.result as { refund: RefundView };
            assert.equal(refund.status, 'pending_approval');
            await fred.inject({ method: 'POST', url: `/admin/refunds/${refund.id}/reject`, payload: { note: 'photos first' } });
            const queue = (await fiona.inject({ method: 'GET', url: '/admin/refund-requests?status=pending' })).result as { results: Array<{ id: number }> };
            assert.ok(queue.results.some((one) => one.id === requestId), 'pending again');
        });

        it('the shopper sees a waiting refund as pending_approval and never a cancelled one', async () => {
            const order = await paidOrder(app, token);
            const held = (await refundAs(fiona, order.id, 1500)).result as RefundView;
            const before = (await app.inject({ method: 'GET', url: `/orders/${order.id}`, headers: { authorization: `Bearer ${token}` } })).result as { refunds: Array<{ status: string }>; refunded_fee: number };
            assert.deepEqual(before.refunds.map((one) => one.status), ['pending_approval']);
            assert.equal(before.refunded_fee, 0);
            await alice.inject({ method: 'POST', url: `/admin/refunds/${held.id}/reject`, payload: { note: 'no' } });
            const after = (await app.inject({ method: 'GET', url: `/orders/${order.id}`, headers: { authorization: `Bearer ${token}` } })).result as { refunds: unknown[] };
            assert.deepEqual(after.refunds, []);
        });
    });
}
