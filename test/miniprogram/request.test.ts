import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import jwt from 'jsonwebtoken';

import { startTestApp, type TestApp } from '../helpers/app';
import { installShopper, type Shopper } from './fake-wx';
import { exampleConfig, openPage } from './mini-program';
import { orderThroughTheCart } from './support';

// The example's one wx.request wrapper (services/request.ts), seen from its pages: it signs in
// when it must, signs in again once when the API refuses a token and retries, and says failures
// in words.

describe('the example mini-program: signing in and failures', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp();
        exampleConfig.apiBase = app.server.info.uri;
    });
    after(() => app.stop());

    const storedToken = (shopper: Shopper): string => JSON.parse(shopper.storage.get('token')!);
    const callsAfter = (shopper: Shopper, from: number) => shopper.calls.slice(from).map(({ method, path, statusCode }) => `${method} ${path} ${statusCode}`);

    /** A shopper who has signed in and ordered, whose stored token is then replaced by `token(userId)`. */
    async function shopperWithToken(token: (userId: number) => string): Promise<Shopper> {
        const shopper = installShopper(app);
        await orderThroughTheCart(shopper, [0]);
        const { userId } = jwt.decode(storedToken(shopper)) as { userId: number };
        shopper.storage.set('token', JSON.stringify(token(userId)));
        return shopper;
    }

    it('an expired token: signs in again once, retries, and the shopper sees their orders', async () => {
        const shopper = await shopperWithToken((userId) => jwt.sign({ userId, exp: Math.floor(Date.now() / 1000) - 60 }, app.config.jwt.secret, { algorithm: 'HS256' }));
        const expired = storedToken(shopper);
        const from = shopper.calls.length;
        const orders = await openPage('/pages/orders/orders');
        assert.deepEqual(callsAfter(shopper, from), ['GET /orders 401', 'POST /users/wxLogin 200', 'GET /orders 200']);
        assert.equal(shopper.logins.length, 2, 'the first sign-in, and one more');
        assert.notEqual(storedToken(shopper), expired);
        assert.deepEqual(orders.texts('.order .status'), ['Waiting for payment'], 'the same WeChat user, the same orders');
        assert.equal(orders.text('.message'), undefined);
    });

    it('a token the API refuses (not signed with its secret): the same', async () => {
        const shopper = await shopperWithToken((userId) => jwt.sign({ userId }, 'a-secret-this-server-never-had-0123456789', { algorithm: 'HS256', expiresIn: '1h' }));
        const from = shopper.calls.length;
        const orders = await openPage('/pages/orders/orders');
        assert.deepEqual(callsAfter(shopper, from), ['GET /orders 401', 'POST /users/wxLogin 200', 'GET /orders 200']);
        assert.deepEqual(orders.texts('.order .status'), ['Waiting for payment']);
    });

    it('pages that need a token at once share one sign-in', async () => {
        const shopper = installShopper(app);
        await Promise.all([openPage('/pages/orders/orders'), openPage('/pages/orders/orders'), openPage('/pages/orders/orders')]);
        assert.equal(shopper.logins.length, 1);
        assert.deepEqual(shopper.calls.map(({ method, path }) => `${method} ${path}`), ['POST /users/wxLogin', 'GET /orders', 'GET /orders', 'GET /orders']);
    });

    it('says in words when the shop cannot be reached', async () => {
        installShopper(app);
        exampleConfig.apiBase = 'http://127.0.0.1:9';
        try {
            const shops = await openPage('/pages/shops/shops');
            assert.equal(shops.text('.message'), 'Cannot reach the shop. Check your connection and try again.');
        }
        finally {
            exampleConfig.apiBase = app.server.info.uri;
        }
    });

    it("says the API's words for what it refuses: an unknown order", async () => {
        installShopper(app);
        const order = await openPage('/pages/order/order?id=999999');
        assert.equal(order.text('.message'), 'order 999999 not found');
        assert.equal(order.has('.order'), false);
    });
});
