import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { payInWechat, placeOrder, requestPaymentFor, waitForDelivery } from '../helpers/shopper';

// A user may hold at most ORDER_MAX_UNPAID_PER_USER unpaid, unexpired orders: each is a
// unifiedorder waiting to happen. Paying, closing or letting one expire frees its place.

const CAP = 3;

for (const { kind, create } of databaseKinds()) {
    describe(`POST /orders with ${CAP} unpaid orders held (${kind})`, () => {
        let app: TestApp;

        const createOrder = (token: string) => app.inject({ method: 'POST', url: '/orders', headers: bearer(token), payload: { goodsList: [{ goods_id: 1, count: 1 }] } });

        const assertCapped = async (token: string) => {
            const response = await createOrder(token);
            assert.equal(response.statusCode, 409, response.payload);
            assert.deepEqual(JSON.parse(response.payload), {
                statusCode: 409,
                error: 'Conflict',
                message: `you already have ${CAP} unpaid orders, the most one may hold is ${CAP}: pay or close one first`,
            });
        };

        before(async () => {
            app = await startTestApp({ database: await create(), env: { ORDER_MAX_UNPAID_PER_USER: String(CAP), RATE_LIMIT_ORDERS_PER_USER: '0', RATE_LIMIT_ORDERS_PER_IP: '0' } });
        });

        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        it('refuses another with 409 naming the cap, and stores nothing', async () => {
            const { token, userId } = await app.login();
            for (let index = 0; index < CAP; index += 1) {
                await placeOrder(app, token);
            }
            await assertCapped(token);
            assert.equal(await app.server.app.models.Order.count({ where: { userId } }), CAP);

            const other = await app.login();
            assert.equal((await createOrder(other.token)).statusCode, 201, 'another user has places of their own');
        });

        it('takes one again once an order is paid, closed or expired', async () => {
            const { token } = await app.login();
            const held = [];
            for (let index = 0; index < CAP; index += 1) {
                held.push(await placeOrder(app, token));
            }
            await assertCapped(token);

            const paid = held[0]!;
            assert.equal((await payInWechat(app, await requestPaymentFor(app, token, paid.id))).statusCode, 200);
            await waitForDelivery(app, paid.out_trade_no, (delivery) => delivery.acknowledged);
            await placeOrder(app, token);
            await assertCapped(token);

            const closed = await app.inject({ method: 'POST', url: `/orders/${held[1]!.id}/close`, headers: bearer(token) });
            assert.equal(closed.statusCode, 200, closed.payload);
            await placeOrder(app, token);
            await assertCapped(token);

            // No waiting ORDER_LIFETIME_MINUTES: the order's expiry is moved into the past.
            await app.server.app.models.Order.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: held[2]!.id } });
            await placeOrder(app, token);
            await assertCapped(token);
        });

        it('lets no burst of concurrent orders past the cap', async () => {
            const { token, userId } = await app.login();
            const responses = await Promise.all(Array.from({ length: 8 }, () => createOrder(token)));
            const statuses = responses.map((response) => response.statusCode).sort();
            assert.deepEqual(statuses, [...Array(CAP).fill(201), ...Array(8 - CAP).fill(409)], responses.map((response) => response.payload).join('\n'));
            assert.equal(await app.server.app.models.Order.count({ where: { userId, status: 'unpaid' } }), CAP);
        });
    });
}

describe('ORDER_MAX_UNPAID_PER_USER=0', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ env: { ORDER_MAX_UNPAID_PER_USER: '0', RATE_LIMIT_ORDERS_PER_USER: '0' } });
    });

    after(async () => {
        await app.stop();
    });

    it('means no cap', async () => {
        const { token } = await app.login();
        for (let index = 0; index < CAP * 3; index += 1) {
            await placeOrder(app, token);
        }
    });
});
