import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { cookieHeader, createStaff, setCookies, signIn, STAFF_PASSWORD } from '../helpers/staff';

// A staff member signs in with a name and password: a sealed session cookie (HttpOnly,
// SameSite=Strict, path /), a crumb for writes, one session row per sign-in that the database
// checks on every request.

describe('staff sessions', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ listen: false });
        await createStaff(app, 'alice', 'owner');
        await createStaff(app, 'olga', 'operator');
    });
    after(() => app.stop());

    it('signs in with a sealed, HttpOnly, SameSite=Strict cookie on path / (no Secure over http) and hands out the crumb', async () => {
        const response = await app.inject({ method: 'POST', url: '/admin/session', payload: { name: 'alice', password: STAFF_PASSWORD } });
        assert.equal(response.statusCode, 200, response.payload);
        const lines = ([] as string[]).concat(response.headers['set-cookie'] as string[]);
        const session = lines.find((line) => line.startsWith('wxshop_staff='))!;
        assert.match(session, /; HttpOnly/);
        assert.match(session, /; SameSite=Strict/);
        assert.match(session, /; Path=\//);
        assert.doesNotMatch(session, /; Secure/);
        assert.match(session, /^wxshop_staff=Fe26\.2\*\*/, 'sealed with iron');
        const body = response.result as { staff: { name: string; role: string }; scopes: string[]; crumb: string };
        assert.equal(body.staff.name, 'alice');
        assert.ok(body.scopes.includes('staff'));
        assert.equal(setCookies(response).wxshop_crumb, body.crumb);
        assert.ok(!response.payload.includes(STAFF_PASSWORD) && !response.payload.includes('$argon2'), 'neither the password nor its hash');
    });

    it('reaches GET /admin/session with the cookie, and is refused without it', async () => {
        const alice = await signIn(app, 'alice');
        const seen = await alice.inject({ method: 'GET', url: '/admin/session' });
        assert.equal(seen.statusCode, 200, seen.payload);
        assert.equal((seen.result as { crumb: string }).crumb, alice.crumb);
        assert.equal((await app.inject({ method: 'GET', url: '/admin/session' })).statusCode, 401);
    });

    it('answers a wrong password, an unknown name and a disabled member alike', async () => {
        const wrong = await app.inject({ method: 'POST', url: '/admin/session', payload: { name: 'alice', password: 'not-the-password-at-all' } });
        const unknown = await app.inject({ method: 'POST', url: '/admin/session', payload: { name: 'nobody', password: STAFF_PASSWORD } });
        for (const response of [wrong, unknown]) {
            assert.equal(response.statusCode, 401);
            assert.equal(JSON.parse(response.payload).message, 'wrong name or password');
            assert.equal(response.headers['set-cookie'], undefined);
        }
    });

    it('signs out: the cookie stops working at once, even replayed', async () => {
        const olga = await signIn(app, 'olga');
        const copied = cookieHeader(olga.cookies);
        const out = await olga.inject({ method: 'DELETE', url: '/admin/session' });
        assert.equal(out.statusCode, 204, out.payload);
        const replayed = await app.inject({ method: 'GET', url: '/admin/session', headers: { cookie: copied } });
        assert.equal(replayed.statusCode, 401);
    });
});
