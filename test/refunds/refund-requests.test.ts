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
        const list = async (query: string) => {
            const response = await app.inject({ method: 'GET', url: `/admin/refund-requests${query}`, headers: ADMIN });
            assert.equal(response.statusCode, 200, response.payload);
            return response.result as { results: RequestView[]; totalCount: number; links: { self: string; first: string; prev: string | null; next: string | null } };
        };
        const pending = async () => (await list('?status=pending&limit=100')).results;
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

        it('is one pending request per order however many ask at once, over HTTP; another may follow once it is decided', async () => {
            const orders = [await paidOrder(app, alice.token), await paidOrder(app, alice.token), await paidOrder(app, alice.token)];
            const askOverHttp = (orderId: number) => fetch(`${app.server.info.uri}/orders/${orderId}/refund-requests`, {
                method: 'POST', headers: { ...bearer(alice.token), 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'arrived broken' }),
            }).then(async (response) => ({ orderId, status: response.status, body: await response.json() as RequestView & { message?: string } }));
            // 40 at once for each of three orders: 120 requests in flight.
            const answers = await Promise.all(orders.flatMap((order) => Array.from({ length: 40 }, () => askOverHttp(order.id))));
            const { RefundRequest } = app.server.app.models;
            for (const order of orders) {
                const mine = answers.filter((answer) => answer.orderId === order.id);
                assert.deepEqual(mine.map((answer) => answer.status).sort(), [201, ...Array(39).fill(409)], `order ${order.id}`);
                assert.ok(mine.filter((answer) => answer.status === 409).every((answer) => /already has a pending refund request/.test(answer.body.message!)));
                assert.equal(await RefundRequest.count({ where: { orderId: order.id, status: 'pending' } }), 1);
            }

            const first = answers.find((answer) => answer.orderId === orders[0]!.id && answer.status === 201)!.body;
            const declined = await app.inject({ method: 'POST', url: `/admin/refund-requests/${first.id}/decline`, headers: ADMIN, payload: { note: 'send a photo' } });
            assert.equal(declined.statusCode, 200, declined.payload);
            assert.equal((await ask(alice.token, orders[0]!.id, 'photo attached')).statusCode, 201, 'a new request once the first is decided');
        });

        it('a grant WeChat cannot make leaves the request pending, still the only one', async () => {
            const order = await paidOrder(app, alice.token);
            const request = (await ask(alice.token, order.id)).result as RequestView;
            const over = await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/grant`, headers: ADMIN, payload: { refund_fee: order.total_fee + 1 } });
            assert.equal(over.statusCode, 409, over.payload);
            assert.ok((await pending()).some((one) => one.id === request.id));
            assert.equal((await ask(alice.token, order.id)).statusCode, 409, 'still one pending request');
        });

        it('a grant that fails after the shopper asked anew is declined, saying why, and the new request stands', { skip: kind === 'sqlite' && 'SQLite queues the new request behind the refund\'s transaction' }, async () => {
            const order = await paidOrder(app, alice.token);
            const request = (await ask(alice.token, order.id)).result as RequestView;
            const { sequelize } = app.server.app.models;
            let newer: Promise<{ statusCode: number; result: unknown }> | undefined;
            // The shopper asks again while the refund for the grant is being made (its first statement in a transaction).
            const askMeanwhile = async (options: { transaction?: unknown }) => {
                if (newer === undefined && options.transaction) {
                    newer = ask(alice.token, order.id, 'asked again');
                    await newer;
                }
            };
            sequelize.addHook('beforeQuery', 'askMeanwhile', askMeanwhile as never);
            try {
                const over = await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/grant`, headers: ADMIN, payload: { refund_fee: order.total_fee + 1 } });
                assert.equal(over.statusCode, 409, over.payload);
            }
            finally {
                sequelize.removeHook('beforeQuery', 'askMeanwhile');
            }
            assert.equal((await newer!).statusCode, 201);
            const view = await shopperView(order.id);
            assert.deepEqual(view.refund_requests.map(({ status }) => status), ['declined', 'pending']);
            assert.match(view.refund_requests[0]!.note!, /the refund could not be made \(refund_fee \d+ exceeds what is left.*\); the newer request on this order is pending/);
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

        it('are listed to the merchant a page at a time, newest first, with the total and links, past the 500th too', async () => {
            const order = await paidOrder(app, alice.token);
            const { RefundRequest } = app.server.app.models;
            await RefundRequest.bulkCreate(Array.from({ length: 505 }, (_, index) => ({
                orderId: order.id, pendingOrderId: null, reason: `old ${index}`, status: 'declined' as const, note: 'no', refundId: null, decidedAt: new Date(),
            })));
            const newest = (await ask(alice.token, order.id, 'the newest')).result as RequestView;
            const total = await RefundRequest.count();

            const first = await list('?limit=100');
            assert.equal(first.totalCount, total);
            assert.equal(first.results.length, 100);
            assert.equal(first.results[0]!.id, newest.id, 'the newest request comes first');
            assert.deepEqual(first.links, {
                self: '/admin/refund-requests?limit=100&page=1&sort=newest', first: '/admin/refund-requests?limit=100&page=1&sort=newest',
                prev: null, next: '/admin/refund-requests?limit=100&page=2&sort=newest',
            });

            const seen: number[] = [];
            for (let next: string | null = first.links.self; next !== null;) {
                const page = await list(next.slice('/admin/refund-requests'.length));
                seen.push(...page.results.map((request) => request.id));
                next = page.links.next;
            }
            assert.equal(seen.length, total, 'every request, on some page');
            assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first throughout');

            const oldest = await list('?sort=oldest&limit=1');
            assert.equal(oldest.results[0]!.id, seen.at(-1));
            const waiting = await list('?status=pending&limit=100');
            assert.equal(waiting.totalCount, await RefundRequest.count({ where: { status: 'pending' } }));
            assert.ok(waiting.results.some((request) => request.id === newest.id));
            assert.equal(waiting.links.self, '/admin/refund-requests?status=pending&limit=100&page=1&sort=newest', 'the filter is kept in the links');

            const tooMany = await app.inject({ method: 'GET', url: '/admin/refund-requests?limit=101', headers: ADMIN });
            assert.equal(tooMany.statusCode, 400);
            assert.match(tooMany.payload, /limit/);
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
