import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { placeOrder } from '../helpers/shopper';
import { cookieHeader, createStaff, signIn, type StaffBrowser } from '../helpers/staff';

// Every write a staff cookie authenticates needs the crumb in X-CSRF-Token (double-submit: equal
// to the crumb cookie another site can neither read nor set). The API key and shoppers' tokens
// are no cookies, so their writes need none.

describe('CSRF protection of cookie-authenticated writes', () => {
    let app: TestApp;
    let owner: StaffBrowser;

    before(async () => {
        app = await startTestApp();
        await createStaff(app, 'alice', 'owner');
        owner = await signIn(app, 'alice');
    });
    after(() => app.stop());

    const newStaff = (name: string) => ({ method: 'POST', url: '/admin/staff', payload: { name, role: 'operator' } });

    it('refuses a write without the crumb, or with another one, and changes nothing', async () => {
        const without = await owner.inject({ ...newStaff('mallory'), crumb: false });
        assert.equal(without.statusCode, 403, without.payload);
        assert.match(JSON.parse(without.payload).message, /missing or wrong X-CSRF-Token/);
        const forged = await app.inject({ ...newStaff('mallory'), headers: { cookie: cookieHeader(owner.cookies), 'x-csrf-token': 'guessed-crumb-value-0123456789' } });
        assert.equal(forged.statusCode, 403);
        const names = ((await owner.inject({ method: 'GET', url: '/admin/staff' })).result as Array<{ name: string }>).map((one) => one.name);
        assert.deepEqual(names, ['alice']);
    });

    it('takes the crumb from GET /admin/session', async () => {
        const session = await owner.inject({ method: 'GET', url: '/admin/session' });
        const { crumb } = session.result as { crumb: string };
        const made = await app.inject({ ...newStaff('olga'), headers: { cookie: cookieHeader(owner.cookies), 'x-csrf-token': crumb } });
        assert.equal(made.statusCode, 201, made.payload);
    });

    it('asks nothing of a read (GET) with the cookie', async () => {
        assert.equal((await owner.inject({ method: 'GET', url: '/admin/dashboard', crumb: false })).statusCode, 200);
    });

    it('asks no crumb of the API key, nor of a shopper token', async () => {
        const byKey = await app.inject({ ...newStaff('fiona'), headers: bearer(DEV_ADMIN_API_KEY) });
        assert.equal(byKey.statusCode, 201, byKey.payload);
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        assert.equal(order.status, 'unpaid', 'POST /orders with a token and no crumb');
    });

    it("a crumb alone (no session cookie) opens nothing", async () => {
        const response = await app.inject({ ...newStaff('eve'), headers: { cookie: `wxshop_crumb=${owner.crumb}`, 'x-csrf-token': owner.crumb } });
        assert.equal(response.statusCode, 401);
    });
});
