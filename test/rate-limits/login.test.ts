import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { assertTooMany, signIn, waitRetryAfter } from './support';

// POST /users/wxLogin costs a call to WeChat's jscode2session: each address gets
// RATE_LIMIT_LOGIN_PER_IP sign-ins per window, X-Forwarded-For believed only from TRUSTED_PROXIES.

const WINDOW_SECONDS = 3;
const PER_IP = 3;

describe('POST /users/wxLogin is limited per address', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({
            env: { RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMIT_LOGIN_PER_IP: String(PER_IP), TRUSTED_PROXIES: '127.0.0.1' },
        });
    });

    after(async () => {
        await app.stop();
    });

    it(`answers 429 with Retry-After after ${PER_IP} sign-ins from one address, and signs in again once the window has passed`, async () => {
        for (let index = 0; index < PER_IP; index += 1) {
            const response = await signIn(app, '198.51.100.1');
            assert.equal(response.statusCode, 200, response.payload);
        }
        const refused = await signIn(app, '198.51.100.1');
        const retryAfter = assertTooMany(refused, WINDOW_SECONDS, new RegExp(`too many sign-ins from this address: at most ${PER_IP} every ${WINDOW_SECONDS} s`));
        assert.equal((await signIn(app, '198.51.100.2')).statusCode, 200, 'another address has its own budget');

        await waitRetryAfter(retryAfter);
        const again = await signIn(app, '198.51.100.1');
        assert.equal(again.statusCode, 200, again.payload);
    });

    it('counts the client a trusted proxy names in X-Forwarded-For, each on its own', async () => {
        for (let index = 0; index < PER_IP; index += 1) {
            assert.equal((await signIn(app, '127.0.0.1', '198.51.100.10')).statusCode, 200);
        }
        assertTooMany(await signIn(app, '127.0.0.1', '198.51.100.10'), WINDOW_SECONDS, /this address/);
        assert.equal((await signIn(app, '127.0.0.1', '198.51.100.11')).statusCode, 200, 'the next shopper behind the same proxy');
    });

    it('ignores X-Forwarded-For from anyone else: a new header each time does not buy a new budget', async () => {
        for (let index = 0; index < PER_IP; index += 1) {
            assert.equal((await signIn(app, '203.0.113.5', `192.0.2.${index}`)).statusCode, 200);
        }
        assertTooMany(await signIn(app, '203.0.113.5', '192.0.2.99'), WINDOW_SECONDS, /this address/);
    });
});

describe('RATE_LIMIT_LOGIN_PER_IP=0', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ env: { RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMIT_LOGIN_PER_IP: '0' } });
    });

    after(async () => {
        await app.stop();
    });

    it('means no limit', async () => {
        for (let index = 0; index < 10; index += 1) {
            const response = await signIn(app, '198.51.100.1');
            assert.equal(response.statusCode, 200, response.payload);
        }
    });
});
