import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { assertTooMany, waitRetryAfter } from './support';

// POST /orders and POST /orders/{id}/pay (each pay may be a unifiedorder) are limited per user
// and per address: RATE_LIMIT_ORDERS_PER_USER / _PER_IP and RATE_LIMIT_PAY_PER_USER / _PER_IP.

const WINDOW_SECONDS = 3;
const PER_USER = 2;
const PER_IP = 3;

describe('POST /orders and POST /orders/{id}/pay are limited per user and per address', () => {
    let app: TestApp;

    const createOrder = (token: string, ip: string) => app.inject({
        method: 'POST', url: '/orders', headers: bearer(token), remoteAddress: ip, payload: { goodsList: [{ goods_id: 1, count: 1 }] },
    });
    const pay = (token: string, orderId: number, ip: string) => app.inject({
        method: 'POST', url: `/orders/${orderId}/pay`, headers: bearer(token), remoteAddress: ip,
    });

    before(async () => {
        app = await startTestApp({
            env: {
                RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
                RATE_LIMIT_ORDERS_PER_USER: String(PER_USER),
                RATE_LIMIT_ORDERS_PER_IP: String(PER_IP),
                RATE_LIMIT_PAY_PER_USER: String(PER_USER),
                RATE_LIMIT_PAY_PER_IP: String(PER_IP),
                ORDER_MAX_UNPAID_PER_USER: '0',
            },
        });
    });

    after(async () => {
        await app.stop();
    });

    it(`refuses a user's order number ${PER_USER + 1} in a window from any address, and takes it once the window has passed`, async () => {
        const { token } = await app.login();
        for (let index = 0; index < PER_USER; index += 1) {
            assert.equal((await createOrder(token, `198.51.100.${index + 1}`)).statusCode, 201);
        }
        const retryAfter = assertTooMany(await createOrder(token, '198.51.100.9'), WINDOW_SECONDS,
            new RegExp(`too many new orders from this user: at most ${PER_USER} every ${WINDOW_SECONDS} s`));

        await waitRetryAfter(retryAfter);
        assert.equal((await createOrder(token, '198.51.100.9')).statusCode, 201);
    });

    it(`refuses order number ${PER_IP + 1} from one address, whoever is signed in`, async () => {
        for (let index = 0; index < PER_IP; index += 1) {
            const { token } = await app.login();
            assert.equal((await createOrder(token, '203.0.113.20')).statusCode, 201);
        }
        const { token } = await app.login();
        assertTooMany(await createOrder(token, '203.0.113.20'), WINDOW_SECONDS, /too many new orders from this address/);
        assert.equal((await createOrder(token, '203.0.113.21')).statusCode, 201, 'the same user from another address');
    });

    it(`refuses a user's payment request number ${PER_USER + 1} (even for the same order), and takes it once the window has passed`, async () => {
        const { token } = await app.login();
        const order = (await createOrder(token, '198.51.100.29')).result as { id: number };
        for (let index = 0; index < PER_USER; index += 1) {
            assert.equal((await pay(token, order.id, `198.51.100.${index + 30}`)).statusCode, 200);
        }
        const retryAfter = assertTooMany(await pay(token, order.id, '198.51.100.39'), WINDOW_SECONDS,
            new RegExp(`too many payment requests from this user: at most ${PER_USER} every ${WINDOW_SECONDS} s`));

        await waitRetryAfter(retryAfter);
        assert.equal((await pay(token, order.id, '198.51.100.39')).statusCode, 200);
    });

    it(`refuses payment request number ${PER_IP + 1} from one address, whoever is signed in`, async () => {
        const shoppers = await Promise.all(Array.from({ length: PER_IP + 1 }, async (_, index) => {
            const { token } = await app.login();
            const created = await createOrder(token, `198.51.100.${index + 50}`);
            assert.equal(created.statusCode, 201, created.payload);
            return { token, order: created.result as { id: number } };
        }));
        for (const { token, order } of shoppers.slice(0, PER_IP)) {
            assert.equal((await pay(token, order.id, '203.0.113.40')).statusCode, 200);
        }
        const last = shoppers[PER_IP]!;
        assertTooMany(await pay(last.token, last.order.id, '203.0.113.40'), WINDOW_SECONDS, /too many payment requests from this address/);
    });
});
