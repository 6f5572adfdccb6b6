import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEV_ADMIN_API_KEY, loadConfig } from '../../src/config';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { PRODUCTION_ENV } from '../helpers/production-env';
import { placeOrder } from '../helpers/shopper';

const ADMIN_KEY = 'Adm1n-K3y-for-this-test-0123456789-abcdefgh';

// The merchant API has its own strategy: Bearer ADMIN_API_KEY, compared in constant time. A
// shopper's JWT never works there, and the admin key never works on shopper routes.
describe('the merchant API key', () => {
    let app: TestApp;
    let token: string;
    let orderId: number;
    before(async () => {
        app = await startTestApp({ env: { ADMIN_API_KEY: ADMIN_KEY } });
        ({ token } = await app.login());
        orderId = (await placeOrder(app, token)).id;
    });
    after(() => app.stop());

    const adminGet = (authorization?: string) => app.inject({ method: 'GET', url: `/admin/orders/${orderId}`, headers: authorization === undefined ? {} : { authorization } });

    it('opens the merchant API to the key', async () => {
        const response = await adminGet(`Bearer ${ADMIN_KEY}`);
        assert.equal(response.statusCode, 200, response.payload);
        assert.equal((response.result as { id: number }).id, orderId);
    });

    it('refuses no key, a wrong key, a key of another length and a shopper token, in the one error shape', async () => {
        for (const authorization of [undefined, `Bearer ${ADMIN_KEY.slice(0, -1)}x`, `Bearer ${ADMIN_KEY}x`, `Bearer ${token}`, ADMIN_KEY]) {
            const response = await adminGet(authorization);
            assert.equal(response.statusCode, 401, String(authorization));
            assert.deepEqual(Object.keys(JSON.parse(response.payload)).sort(), ['error', 'message', 'statusCode']);
        }
    });

    it('never works on shopper routes', async () => {
        const response = await app.inject({ method: 'GET', url: '/orders', headers: bearer(ADMIN_KEY) });
        assert.equal(response.statusCode, 401);
    });
});

describe('where the merchant API exists', () => {
    it('in development with the example merchant: with the documented development key', () => {
        assert.equal(loadConfig({}).admin?.apiKey, DEV_ADMIN_API_KEY);
    });

    it('beside a real merchant or in production: only once ADMIN_API_KEY is set', () => {
        const realMerchant = { WX_PAY_API_KEY: PRODUCTION_ENV.WX_PAY_API_KEY, JWT_SECRET: PRODUCTION_ENV.JWT_SECRET, WECHAT_SIMULATOR: 'false', DEV_LOGIN: 'false' };
        assert.equal(loadConfig(realMerchant).admin, undefined);
        assert.equal(loadConfig(PRODUCTION_ENV).admin, undefined);
        assert.equal(loadConfig({ ...PRODUCTION_ENV, ADMIN_API_KEY: ADMIN_KEY }).admin?.apiKey, ADMIN_KEY);
    });

    it('production refuses the development key, a weak key, and a key shared with another secret, one line each', () => {
        for (const [key, reason] of [[DEV_ADMIN_API_KEY, /ADMIN_API_KEY must be a random value/], ['a'.repeat(40), /ADMIN_API_KEY must be a random value/], [PRODUCTION_ENV.JWT_SECRET, /must not be the JWT secret/]] as const) {
            assert.throws(() => loadConfig({ ...PRODUCTION_ENV, ADMIN_API_KEY: key }), reason);
        }
    });

    it('without a key: accepts no key (401 saying so); staff sessions are the only way in', async () => {
        const app = await startTestApp({ listen: false, env: { WX_PAY_API_KEY: PRODUCTION_ENV.WX_PAY_API_KEY, JWT_SECRET: PRODUCTION_ENV.JWT_SECRET, WECHAT_SIMULATOR: 'false', DEV_LOGIN: 'false', WX_PAY_BASE_URL: 'http://127.0.0.1:9' } });
        try {
            const refused = await app.inject({ method: 'GET', url: '/admin/orders/1', headers: bearer(DEV_ADMIN_API_KEY) });
            assert.equal(refused.statusCode, 401);
            assert.match(JSON.parse(refused.payload).message, /No merchant API key is set on this server \(ADMIN_API_KEY\): sign in as staff/);
        }
        finally {
            await app.stop();
        }
    });
});
