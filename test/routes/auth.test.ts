import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ServerInjectResponse } from '@hapi/hapi';
import jwt from 'jsonwebtoken';

import { bearer, startTestApp, type TestApp } from '../helpers/app';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function assertUnauthorized(response: ServerInjectResponse): void {
    assert.equal(response.statusCode, 401, response.payload);
    const body = JSON.parse(response.payload) as { statusCode: number; error: string; message: string };
    assert.deepEqual({ statusCode: body.statusCode, error: body.error }, { statusCode: 401, error: 'Unauthorized' });
    assert.equal(typeof body.message, 'string');
    assert.doesNotMatch(response.payload, /\bat .+:\d+:\d+/, 'no stack trace');
}

describe('signing in with a token (GET /, the token check)', () => {
    let app: TestApp;
    let token: string;
    let userId: number;

    const hello = (headers: Record<string, string> = {}, url = '/') => app.inject({ method: 'GET', url, headers });
    /** A token as the app would sign it, with whatever payload and options a test needs. */
    const sign = (payload: object, options: jwt.SignOptions = {}) => jwt.sign(payload, app.config.jwt.secret, { algorithm: 'HS256', ...options });

    before(async () => {
        // Caches off: a deleted user is refused at once here; test/routes/read-caches.test.ts bounds it with caching on.
        app = await startTestApp({ env: { CACHE_TTL_MS: '0' } });
        ({ token, userId } = await app.login());
    });

    after(async () => {
        await app.stop();
    });

    it('refuses a request without a token with 401', async () => {
        assertUnauthorized(await hello());
    });

    it('accepts "Authorization: Bearer <token>"', async () => {
        const response = await hello(bearer(token));
        assert.equal(response.statusCode, 200);
        assert.equal(response.payload, 'hello hapi');
    });

    it('accepts the bare token in the Authorization header', async () => {
        const response = await hello({ authorization: token });
        assert.equal(response.statusCode, 200);
        assert.equal(response.payload, 'hello hapi');
    });

    it('refuses a token in the URL (?token=): URLs end up in logs', async () => {
        assertUnauthorized(await hello({}, `/?token=${token}`));
    });

    it('does not write a token sent in the URL to its own log either', async () => {
        await hello({}, `/?token=${token}`);
        const leaked = app.logs.filter((line) => line.includes(token));
        assert.equal(leaked.length, 0, `${leaked.length} log line(s) hold the token, e.g. ${leaked[0]?.slice(0, 200)}`);
    });

    it('refuses an expired token', async () => {
        const now = Math.floor(Date.now() / 1000);
        assertUnauthorized(await hello(bearer(sign({ userId, iat: now - 3600, exp: now - 60 }))));
    });

    it('refuses a token signed with another secret', async () => {
        const forged = jwt.sign({ userId }, 'another-secret-that-is-also-long-enough-0123456789', { algorithm: 'HS256' });
        assertUnauthorized(await hello(bearer(forged)));
    });

    it('refuses an unsigned token (alg: none)', async () => {
        const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ userId, iat: Math.floor(Date.now() / 1000) })}.`;
        assertUnauthorized(await hello(bearer(unsigned)));
    });

    it('refuses a token signed with the right secret but another algorithm (HS512)', async () => {
        assertUnauthorized(await hello(bearer(sign({ userId }, { algorithm: 'HS512' }))));
    });

    it("refuses a token whose payload was changed to another user's id, keeping the signature", async () => {
        const other = await app.login();
        const [header, payload, signature] = token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { userId: number };
        assert.equal(claims.userId, userId);
        const tampered = `${header}.${base64url({ ...claims, userId: other.userId })}.${signature}`;
        assertUnauthorized(await hello(bearer(tampered)));
        // The other user's own token still works: the 401 is the signature, not the user.
        assert.equal((await hello(bearer(other.token))).statusCode, 200);
    });

    it('refuses a well-signed token whose payload is not { userId: a positive integer }', async () => {
        for (const payload of [{}, { userId: String(userId) }, { userId: 0 }, { userId: -1 }, { userId: 1.5 }, { id: userId }]) {
            assertUnauthorized(await hello(bearer(sign(payload))));
        }
    });

    it('refuses a well-signed token for a user that does not exist', async () => {
        assertUnauthorized(await hello(bearer(sign({ userId: 2 ** 31 - 1 }))));
    });

    it('refuses the token of a user who has been deleted', async () => {
        const doomed = await app.login();
        assert.equal((await hello(bearer(doomed.token))).statusCode, 200);
        await app.server.app.models.User.destroy({ where: { id: doomed.userId } });
        assertUnauthorized(await hello(bearer(doomed.token)));
    });

    it('refuses a garbled token', async () => {
        for (const garbage of ['abc', 'a.b.c', `${token}x`, 'Bearer', 'Basic dXNlcjpwYXNz']) {
            assertUnauthorized(await hello({ authorization: garbage }));
        }
    });

    describe('POST /users/createJWT (development)', () => {
        it("gives the dev user's token, which works on GET /", async () => {
            const response = await app.inject({ method: 'POST', url: '/users/createJWT' });
            assert.equal(response.statusCode, 200);
            const body = response.result as { token: string; userId: number };
            assert.deepEqual(Object.keys(body).sort(), ['token', 'userId']);
            assert.ok(Number.isInteger(body.userId));
            const greeting = await hello(bearer(body.token));
            assert.equal(greeting.statusCode, 200);
            assert.equal(greeting.payload, 'hello hapi');
        });

        it('gives the same dev user every time', async () => {
            const first = (await app.inject({ method: 'POST', url: '/users/createJWT' })).result as { userId: number };
            const second = (await app.inject({ method: 'POST', url: '/users/createJWT' })).result as { userId: number };
            assert.equal(first.userId, second.userId);
        });

        it('signs HS256 tokens whose payload is { userId } with an expiry', async () => {
            const { token: devToken, userId: devUserId } = (await app.inject({ method: 'POST', url: '/users/createJWT' })).result as { token: string; userId: number };
            const decoded = jwt.verify(devToken, app.config.jwt.secret, { algorithms: ['HS256'], complete: true });
            assert.equal(decoded.header.alg, 'HS256');
            const claims = decoded.payload as jwt.JwtPayload;
            assert.equal(claims.userId, devUserId);
            assert.ok(typeof claims.exp === 'number' && claims.exp > Date.now() / 1000);
        });
    });
});

describe('with DEV_LOGIN=false', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ env: { DEV_LOGIN: 'false' }, listen: false });
    });

    after(async () => {
        await app.stop();
    });

    it('has no POST /users/createJWT (404)', async () => {
        const response = await app.inject({ method: 'POST', url: '/users/createJWT' });
        assert.equal(response.statusCode, 404);
        assert.deepEqual(JSON.parse(response.payload), { statusCode: 404, error: 'Not Found', message: 'Not Found' });
    });
});
