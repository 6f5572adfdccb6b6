import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ServerInjectOptions, ServerInjectResponse } from '@hapi/hapi';

import { bearer, startTestApp, type TestApp } from '../helpers/app';

interface OrderBody {
    id: number;
    out_trade_no: string;
    total_fee: number;
    status: string;
    transaction_id: string | null;
    paid_at: string | null;
    expires_at: string;
    created_at: string;
    goods: Array<{ goods_id: number; name: string | null; single_price: number; count: number }>;
}

interface OrderPage {
    results: OrderBody[];
    totalCount: number;
    links: { self: string; first: string; prev: string | null; next: string | null };
}

/** An error as every route gives it: Boom's shape, the status asked for, and nothing from inside the server. */
function assertError(response: ServerInjectResponse, statusCode: number, message?: RegExp): { message: string } {
    assert.equal(response.statusCode, statusCode, response.payload);
    assert.doesNotMatch(response.payload, /\bat .+:\d+:\d+|node_modules|\/src\/|Sequelize|SQLITE/, 'nothing from inside the server');
    const body = JSON.parse(response.payload) as { statusCode: number; error: string; message: string };
    assert.equal(body.statusCode, statusCode);
    assert.equal(typeof body.error, 'string');
    assert.equal(typeof body.message, 'string');
    if (message) {
        assert.match(body.message, message);
    }
    return body;
}

/** An order's body without what differs from run to run. */
function shapeOf(order: OrderBody) {
    const { id: _id, out_trade_no: _outTradeNo, created_at: _createdAt, expires_at: _expiresAt, ...rest } = order;
    return rest;
}

describe('orders', () => {
    let app: TestApp;
    let alice: { token: string; userId: number };
    let bob: { token: string; userId: number };

    const placeOrder = (token: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({
        method: 'POST', url: '/orders', headers: { ...bearer(token), ...headers }, payload: payload as ServerInjectOptions['payload'],
    });
    const orderCount = () => app.server.app.models.Order.count();

    before(async () => {
        app = await startTestApp();
        alice = await app.login('alice.1');
        bob = await app.login('bob.1');
    });

    after(async () => {
        await app.stop();
    });

    describe('POST /orders', () => {
        it('creates an unpaid order priced from the goods table, in integer fen (201)', async () => {
            const before = Date.now();
            const response = await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count: 2 }, { goods_id: 4, count: 1 }] });
            assert.equal(response.statusCode, 201, response.payload);
            const order = response.result as OrderBody;

            assert.deepEqual(shapeOf(order), {
                total_fee: 490 * 2 + 880,
                status: 'unpaid',
                transaction_id: null,
                paid_at: null,
                shipment: null,
                goods: [
                    { goods_id: 1, name: '商品1-1', single_price: 490, count: 2 },
                    { goods_id: 4, name: '商品2-1', single_price: 880, count: 1 },
                ],
            });
            assert.ok(Number.isInteger(order.id));
            assert.match(order.out_trade_no, /^[A-Za-z0-9_-]{6,32}$/);
            const created = new Date(order.created_at).getTime();
            assert.ok(created >= before - 1000 && created <= Date.now() + 1000);
            const lifetime = new Date(order.expires_at).getTime() - created;
            assert.ok(Math.abs(lifetime - app.config.pay.orderLifetimeMinutes * 60_000) < 1000, `payable for ${lifetime} ms`);

            const stored = await app.server.app.models.Order.findByPk(order.id, { include: ['items'] });
            assert.deepEqual(
                { userId: stored?.userId, totalFee: stored?.totalFee, outTradeNo: stored?.outTradeNo },
                { userId: alice.userId, totalFee: 1860, outTradeNo: order.out_trade_no },
            );
            assert.deepEqual(stored?.items?.map((line) => [line.goodsId, line.singlePrice, line.count]), [[1, 490, 2], [4, 880, 1]]);
        });

        it('gives every order its own out_trade_no', async () => {
            const numbers = new Set<string>();
            for (let i = 0; i < 5; i++) {
                numbers.add(((await placeOrder(alice.token, { goodsList: [{ goods_id: 2, count: 1 }] })).result as OrderBody).out_trade_no);
            }
            assert.equal(numbers.size, 5);
        });

        it('refuses a price sent by the client (400), and stores nothing', async () => {
            const count = await orderCount();
            assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count: 1, price: 1 }] }), 400, /"goodsList\[0\]\.price" is not allowed/);
            assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count: 1, single_price: 1 }] }), 400, /single_price/);
            assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count: 1 }], total_fee: 1 }), 400, /"total_fee" is not allowed/);
            assert.equal(await orderCount(), count);
        });

        it('refuses goods that do not exist with a 400 naming them, and stores nothing', async () => {
            const count = await orderCount();
            assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count: 1 }, { goods_id: 999, count: 1 }] }), 400, /\b999\b/);
            assert.equal(await orderCount(), count);
        });

        for (const count of [0, -1, 1000, 1.5, 'two', null]) {
            it(`refuses count ${JSON.stringify(count)} with a 400 naming "count"`, async () => {
                assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count }] }), 400, /"goodsList\[0\]\.count"/);
            });
        }

        it('refuses a goods line without a count', async () => {
            assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1 }] }), 400, /"goodsList\[0\]\.count" is required/);
        });

        for (const goodsId of [0, 'abc', 1.5, 2 ** 31]) {
            it(`refuses goods_id ${JSON.stringify(goodsId)} with a 400 naming "goods_id"`, async () => {
                assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: goodsId, count: 1 }] }), 400, /"goodsList\[0\]\.goods_id"/);
            });
        }

        it('refuses the same goods_id twice in one order (400)', async () => {
            assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 1, count: 1 }, { goods_id: 1, count: 2 }] }), 400, /goodsList/);
        });

        it('refuses an empty or missing goodsList (400)', async () => {
            assertError(await placeOrder(alice.token, { goodsList: [] }), 400, /"goodsList" must contain at least 1 items/);
            assertError(await placeOrder(alice.token, {}), 400, /"goodsList" is required/);
            assertError(await placeOrder(alice.token, { goodsList: { goods_id: 1, count: 1 } }), 400, /"goodsList" must be an array/);
        });

        it('refuses more than 100 lines (400)', async () => {
            const goodsList = Array.from({ length: 101 }, (_, index) => ({ goods_id: index + 1, count: 1 }));
            assertError(await placeOrder(alice.token, { goodsList }), 400, /"goodsList" must contain less than or equal to 100 items/);
        });

        it('refuses a total WeChat Pay cannot take (over 2^31-1 fen) with a 400, not a 500', async () => {
            const { Goods } = app.server.app.models;
            await Goods.update({ price: 2 ** 31 - 1 }, { where: { id: 3 } });
            try {
                assertError(await placeOrder(alice.token, { goodsList: [{ goods_id: 3, count: 2 }] }), 400, /total/);
            }
            finally {
                await Goods.update({ price: 2990 }, { where: { id: 3 } });
            }
        });

        it('refuses a request without a token (401)', async () => {
            const count = await orderCount();
            assertError(await app.inject({ method: 'POST', url: '/orders', payload: { goodsList: [{ goods_id: 1, count: 1 }] } }), 401);
            assert.equal(await orderCount(), count);
        });

        it('refuses malformed JSON with a 400', async () => {
            assertError(await placeOrder(alice.token, '{"goodsList": [', { 'content-type': 'application/json' }), 400, /JSON/);
        });

        it('refuses a body over 64 KB with a 413', async () => {
            const payload = JSON.stringify({ goodsList: [{ goods_id: 1, count: 1 }], padding: 'x'.repeat(64 * 1024) });
            assertError(await placeOrder(alice.token, payload, { 'content-type': 'application/json' }), 413);
        });

        it('answers odd bodies with a 4xx, never a 500', async () => {
            const odd: Array<[unknown, Record<string, string>]> = [
                ['null', { 'content-type': 'application/json' }],
                ['[]', { 'content-type': 'application/json' }],
                ['"goodsList"', { 'content-type': 'application/json' }],
                ['goodsList=1', { 'content-type': 'application/x-www-form-urlencoded' }],
                ['<xml/>', { 'content-type': 'text/xml' }],
                ['{"goodsList":[{"goods_id":1,"count":1,"__proto__":{"x":1}}]}', { 'content-type': 'application/json' }],
            ];
            for (const [payload, headers] of odd) {
                const response = await placeOrder(alice.token, payload, headers);
                assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${String(payload)} → ${response.statusCode} ${response.payload}`);
                assertError(response, response.statusCode);
            }
        });
    });

    describe('GET /orders', () => {
        let carol: { token: string; userId: number };
        const placed: OrderBody[] = [];

        before(async () => {
            carol = await app.login('carol.1');
            for (const goodsList of [[{ goods_id: 1, count: 1 }], [{ goods_id: 2, count: 2 }], [{ goods_id: 3, count: 3 }, { goods_id: 4, count: 1 }]]) {
                placed.push((await placeOrder(carol.token, { goodsList })).result as OrderBody);
            }
            await placeOrder(bob.token, { goodsList: [{ goods_id: 4, count: 4 }] });
        });

        const list = (token: string, query = '') => app.inject({ method: 'GET', url: `/orders${query}`, headers: bearer(token) });

        it("lists only the caller's own orders, newest first, as they were created", async () => {
            const response = await list(carol.token);
            assert.equal(response.statusCode, 200);
            const page = JSON.parse(response.payload) as OrderPage;
            assert.equal(page.totalCount, 3);
            assert.deepEqual(page.results, [...placed].reverse().map((order) => JSON.parse(JSON.stringify(order))));
            assert.deepEqual({ prev: page.links.prev, next: page.links.next }, { prev: null, next: null });
        });

        it('pages', async () => {
            const first = JSON.parse((await list(carol.token, '?limit=2')).payload) as OrderPage;
            assert.deepEqual(first.results.map((order) => order.id), [placed[2]!.id, placed[1]!.id]);
            assert.equal(first.totalCount, 3);
            assert.equal(first.links.prev, null);
            assert.ok(first.links.next);

            const second = JSON.parse((await app.inject({ method: 'GET', url: first.links.next, headers: bearer(carol.token) })).payload) as OrderPage;
            assert.deepEqual(second.results.map((order) => order.id), [placed[0]!.id]);
            assert.equal(second.totalCount, 3);
            assert.equal(second.links.next, null);
            assert.ok(second.links.prev);
        });

        it("does not show one user's orders to another", async () => {
            const page = JSON.parse((await list(bob.token)).payload) as OrderPage;
            assert.equal(page.totalCount, 1);
            assert.deepEqual(page.results.map(shapeOf), [{
                total_fee: 3520, status: 'unpaid', transaction_id: null, paid_at: null, shipment: null,
                goods: [{ goods_id: 4, name: '商品2-1', single_price: 880, count: 4 }],
            }]);
        });

        it('lists nothing for a user without orders', async () => {
            const newcomer = await app.login();
            const page = JSON.parse((await list(newcomer.token)).payload) as OrderPage;
            assert.deepEqual({ results: page.results, totalCount: page.totalCount }, { results: [], totalCount: 0 });
        });

        it('refuses bad paging with a 400 naming the field', async () => {
            assertError(await list(carol.token, '?limit=101'), 400, /"limit"/);
            assertError(await list(carol.token, '?page=0'), 400, /"page"/);
        });

        it('refuses a request without a token (401)', async () => {
            assertError(await app.inject({ method: 'GET', url: '/orders' }), 401);
        });
    });

    describe('GET /orders/{orderId}', () => {
        let order: OrderBody;

        before(async () => {
            order = (await placeOrder(alice.token, { goodsList: [{ goods_id: 3, count: 1 }] })).result as OrderBody;
        });

        const fetch = (token: string, id: number | string) => app.inject({ method: 'GET', url: `/orders/${id}`, headers: bearer(token) });

        it("gives the caller's own order as it was created", async () => {
            const response = await fetch(alice.token, order.id);
            assert.equal(response.statusCode, 200);
            // As created, and with no refunds yet (issue 10: the owner's view shows them).
            assert.deepEqual(JSON.parse(response.payload), { ...JSON.parse(JSON.stringify(order)), refunded_fee: 0, refunds: [], refund_requests: [] });
        });

        it("answers another user's order with 404, as if it did not exist (not 403)", async () => {
            const response = await fetch(bob.token, order.id);
            const body = assertError(response, 404);
            const missing = assertError(await fetch(bob.token, 2 ** 31 - 1), 404);
            assert.equal(body.message.replace(String(order.id), 'N'), missing.message.replace(String(2 ** 31 - 1), 'N'), 'the same answer as for a missing order');
        });

        it('answers an order that does not exist with 404', async () => {
            assertError(await fetch(alice.token, 999_999), 404);
        });

        it('refuses an id that is not a positive integer with a 400 naming "orderId"', async () => {
            for (const id of ['abc', '0', '-1', '1.5']) {
                assertError(await fetch(alice.token, id), 400, /"orderId"/);
            }
        });

        it('refuses a request without a token (401)', async () => {
            assertError(await app.inject({ method: 'GET', url: `/orders/${order.id}` }), 401);
        });
    });
});
