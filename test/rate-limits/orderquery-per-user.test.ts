import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpRelay } from '../../test-reliability/support/http-relay';
import { startTestApp, type TestApp } from '../helpers/app';
import { getOrder, placeOrder, requestPaymentFor } from '../helpers/shopper';
import { freePort } from '../helpers/wait';
import { waitRetryAfter } from './support';

// GET /orders/{id} asks WeChat's orderquery about an unpaid order with a prepay, at most
// ORDER_QUERY_PER_USER times per window for each user. Past that the read still answers 200
// with the stored order; it just does not ask WeChat. A relay between the app and WeChat Pay
// counts what WeChat was really asked.

const WINDOW_SECONDS = 3;
const PER_USER = 3;

describe(`GET /orders/{id} asks WeChat at most ${PER_USER} times per window for one user`, () => {
    let relay: HttpRelay;
    let app: TestApp;

    const orderQueries = () => relay.calls.filter((call) => call.path === '/pay/orderquery').length;

    /** A user with `count` unpaid orders, each with a prepay (so a read would ask orderquery). */
    const shopperWithPrepays = async (count: number) => {
        const { token } = await app.login();
        const orders = [];
        for (let index = 0; index < count; index += 1) {
            const order = await placeOrder(app, token);
            await requestPaymentFor(app, token, order.id);
            orders.push(order);
        }
        return { token, orders };
    };

    before(async () => {
        const port = await freePort();
        relay = await HttpRelay.open(`http://127.0.0.1:${port}/__wechat`);
        app = await startTestApp({
            env: {
                PORT: String(port),
                WECHAT_SIMULATOR: 'true',
                WX_PAY_BASE_URL: relay.url,
                RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
                ORDER_QUERY_PER_USER: String(PER_USER),
                // Off here, so that only the per-user budget holds queries back.
                ORDER_QUERY_THROTTLE_MS: '0',
                RATE_LIMIT_PAY_PER_USER: '0',
            },
        });
    });

    after(async () => {
        await app.stop();
        await relay.close();
    });

    it('answers every read with the stored order, asking WeChat only within the budget, and again after the window', async () => {
        const alice = await shopperWithPrepays(PER_USER + 2);
        const bob = await shopperWithPrepays(1);
        const before = orderQueries();

        for (const order of alice.orders) {
            const read = await getOrder(app, alice.token, order.id);
            assert.equal(read.status, 'unpaid');
            assert.equal(read.id, order.id);
        }
        assert.equal(orderQueries() - before, PER_USER, `${alice.orders.length} reads, ${PER_USER} orderqueries`);

        await getOrder(app, bob.token, bob.orders[0]!.id);
        assert.equal(orderQueries() - before, PER_USER + 1, "another user's reads have their own budget");

        await waitRetryAfter(WINDOW_SECONDS);
        await getOrder(app, alice.token, alice.orders[0]!.id);
        assert.equal(orderQueries() - before, PER_USER + 2, 'the budget is back after the window');
    });

    it('spends nothing on reads that would not ask WeChat (an order without a prepay)', async () => {
        const { token } = await app.login();
        const withoutPrepay = await placeOrder(app, token);
        for (let index = 0; index < PER_USER * 2; index += 1) {
            await getOrder(app, token, withoutPrepay.id);
        }
        const before = orderQueries();
        const order = await placeOrder(app, token);
        await requestPaymentFor(app, token, order.id);
        await getOrder(app, token, order.id);
        assert.equal(orderQueries() - before, 1, 'the budget was untouched by the reads that asked nothing');
    });
});
