import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import jwt from 'jsonwebtoken';

import { TOKEN_ERRORS } from '../../src/plugins/auth-errors';
import { bearer, startTestApp, type TestApp } from '../helpers/app';

// A refused token is told what was wrong with it, in the one error shape the API documents:
// exactly { statusCode, error, message }. The WWW-Authenticate header stays for HTTP clients.

describe('what a refused token is told', () => {
    let app: TestApp;
    let userId: number;

    const refusal = async (headers: Record<string, string>) => {
        const response = await app.inject({ method: 'GET', url: '/orders', headers });
        assert.equal(response.statusCode, 401, response.payload);
        const body = JSON.parse(response.payload) as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'statusCode'], `one shape: ${response.payload}`);
        assert.equal(body.error, 'Unauthorized');
        return { message: body.message as string, wwwAuthenticate: response.headers['www-authenticate'] };
    };
    const sign = (payload: object, secret = app.config.jwt.secret, options: jwt.SignOptions = {}) =>
        jwt.sign(payload, secret, { algorithm: 'HS256', expiresIn: '1h', ...options });

    before(async () => {
        app = await startTestApp();
        ({ userId } = await app.login());
    });

    after(async () => {
        await app.stop();
    });

    it('no Authorization header: missing authentication', async () => {
        assert.equal((await refusal({})).message, 'Missing authentication');
    });

    it('"Bearer garbage", a bare word, or a JWT that does not decode: malformed (the header was there)', async () => {
        for (const garbage of ['Bearer garbage', 'garbage', 'Bearer a.b.c', 'Bearer ']) {
            assert.equal((await refusal({ authorization: garbage })).message, TOKEN_ERRORS.malformed, garbage);
        }
    });

    it('an expired token: expired', async () => {
        const now = Math.floor(Date.now() / 1000);
        const expired = jwt.sign({ userId, iat: now - 3600, exp: now - 60 }, app.config.jwt.secret, { algorithm: 'HS256' });
        const { message, wwwAuthenticate } = await refusal(bearer(expired));
        assert.equal(message, TOKEN_ERRORS.expired);
        assert.match(String(wwwAuthenticate), /error="Expired token/, 'WWW-Authenticate stays, as a header');
    });

    it('a token signed with another key, with another algorithm, or unsigned: its signature does not verify', async () => {
        const forged = sign({ userId }, 'another-secret-that-is-also-long-enough-0123456789');
        const otherAlgorithm = sign({ userId }, app.config.jwt.secret, { algorithm: 'HS512' });
        const unsigned = jwt.sign({ userId, exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none' });
        for (const token of [forged, otherAlgorithm, unsigned]) {
            assert.equal((await refusal(bearer(token))).message, TOKEN_ERRORS.badSignature);
        }
    });

    it('a well-signed token for no user of ours: says so', async () => {
        assert.equal((await refusal(bearer(sign({ userId: 2 ** 31 - 1 })))).message, TOKEN_ERRORS.unknown);
    });
});
