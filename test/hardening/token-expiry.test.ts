import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import jwt from 'jsonwebtoken';

import { TOKEN_ERRORS } from '../../src/plugins/auth-errors';
import { bearer, startTestApp, type TestApp } from '../helpers/app';

// Every token the API issues expires, and a token that does not say when it expires is refused:
// otherwise one leaked token would be valid forever.

describe('token expiry', () => {
    let app: TestApp;
    let token: string;
    let userId: number;

    const hello = (authorization: string) => app.inject({ method: 'GET', url: '/', headers: { authorization } });

    before(async () => {
        app = await startTestApp({ env: { JWT_EXPIRES_IN: '2h' } });
        ({ token, userId } = await app.login());
    });

    after(async () => {
        await app.stop();
    });

    it('every issued token carries exp, JWT_EXPIRES_IN after its iat', () => {
        const { iat, exp } = jwt.decode(token) as { iat: number; exp: number };
        assert.equal(exp - iat, 2 * 60 * 60);
    });

    it('refuses a correctly signed token for a real user that has no exp, with 401 saying so', async () => {
        const forever = jwt.sign({ userId }, app.config.jwt.secret, { algorithm: 'HS256' });
        assert.equal((jwt.decode(forever) as { exp?: number }).exp, undefined);
        const response = await hello(`Bearer ${forever}`);
        assert.equal(response.statusCode, 401, response.payload);
        assert.equal(JSON.parse(response.payload).message, TOKEN_ERRORS.noExpiry);
    });

    it('accepts the same user with an exp in the future', async () => {
        const expiring = jwt.sign({ userId }, app.config.jwt.secret, { algorithm: 'HS256', expiresIn: '1m' });
        assert.equal((await app.inject({ method: 'GET', url: '/', headers: bearer(expiring) })).statusCode, 200);
    });
});
