import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { createStaff, signIn, STAFF_PASSWORD } from '../helpers/staff';

// A session ends when it is idle too long, when it reaches its maximum length, when its member
// signs out everywhere, is disabled or gets a new password; each from the very next request.
// Time is moved by ageing the session's row, as the clock would.

const IDLE_MINUTES = 30;
const MAX_HOURS = 12;

describe('the life of a staff session', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ listen: false, env: { STAFF_SESSION_IDLE_MINUTES: String(IDLE_MINUTES), STAFF_SESSION_MAX_HOURS: String(MAX_HOURS), RATE_LIMIT_STAFF_LOGIN_PER_NAME: '0', RATE_LIMIT_STAFF_LOGIN_PER_IP: '0' } });
        await createStaff(app, 'alice', 'owner');
        await createStaff(app, 'olga', 'operator');
    });
    after(() => app.stop());

    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const age = async (staffId: number, values: { lastSeenAt?: Date; createdAt?: Date }) => {
        const { StaffSession } = app.server.app.models;
        await StaffSession.update(values, { where: { staffId }, silent: true });
    };
    const whoAmI = async (browser: Awaited<ReturnType<typeof signIn>>) => browser.inject({ method: 'GET', url: '/admin/session' });

    it('lives while used, and ends after the idle timeout', async () => {
        const olga = await signIn(app, 'olga');
        await age(olga.id, { lastSeenAt: minutesAgo(IDLE_MINUTES - 1) });
        assert.equal((await whoAmI(olga)).statusCode, 200, 'used within the idle timeout');
        const seen = await app.server.app.models.StaffSession.findOne({ where: { staffId: olga.id, endedAt: null } });
        assert.ok(seen!.lastSeenAt.getTime() > Date.now() - 60_000, 'the request moved last_seen_at forward');
        await age(olga.id, { lastSeenAt: minutesAgo(IDLE_MINUTES + 1) });
        const idle = await whoAmI(olga);
        assert.equal(idle.statusCode, 401);
        assert.match(JSON.parse(idle.payload).message, /idle too long/);
    });

    it('ends at its maximum length, however busy', async () => {
        const olga = await signIn(app, 'olga');
        await app.server.app.models.StaffSession.update({ createdAt: minutesAgo(MAX_HOURS * 60 + 1) }, { where: { staffId: olga.id, endedAt: null }, silent: true });
        const expired = await whoAmI(olga);
        assert.equal(expired.statusCode, 401);
        assert.match(JSON.parse(expired.payload).message, /maximum length/);
    });

    it('signs out everywhere: every browser of the member, not another member', async () => {
        const [laptop, phone, alice] = [await signIn(app, 'olga'), await signIn(app, 'olga'), await signIn(app, 'alice')];
        const out = await laptop.inject({ method: 'POST', url: '/admin/session/logout-everywhere' });
        assert.equal(out.statusCode, 200, out.payload);
        assert.ok((out.result as { ended: number }).ended >= 2);
        assert.equal((await whoAmI(phone)).statusCode, 401);
        assert.equal((await whoAmI(laptop)).statusCode, 401);
        assert.equal((await whoAmI(alice)).statusCode, 200);
    });

    it('an owner signs a member out everywhere, or disables them: from their next request, and no sign-in after', async () => {
        const alice = await signIn(app, 'alice');
        const olga = await signIn(app, 'olga');
        assert.equal((await alice.inject({ method: 'POST', url: `/admin/staff/${olga.id}/logout-everywhere` })).statusCode, 200);
        assert.equal((await whoAmI(olga)).statusCode, 401);

        const again = await signIn(app, 'olga');
        const disabled = await alice.inject({ method: 'PATCH', url: `/admin/staff/${olga.id}`, payload: { disabled: true } });
        assert.equal(disabled.statusCode, 200, disabled.payload);
        assert.equal((await whoAmI(again)).statusCode, 401);
        const refused = await app.inject({ method: 'POST', url: '/admin/session', payload: { name: 'olga', password: STAFF_PASSWORD } });
        assert.equal(refused.statusCode, 401);
        assert.equal(JSON.parse(refused.payload).message, 'wrong name or password', 'a disabled member is told no more than a wrong password');
        await alice.inject({ method: 'PATCH', url: `/admin/staff/${olga.id}`, payload: { disabled: false } });
        assert.equal((await whoAmI(await signIn(app, 'olga'))).statusCode, 200);
    });

    it('refuses to demote or disable the last active owner', async () => {
        const alice = await signIn(app, 'alice');
        for (const payload of [{ role: 'finance' }, { disabled: true }]) {
            const refused = await alice.inject({ method: 'PATCH', url: `/admin/staff/${alice.id}`, payload });
            assert.equal(refused.statusCode, 409, refused.payload);
            assert.match(refused.payload, /last active owner/);
        }
    });

    it("an owner's reset: a temporary password shown once, the member's sessions end, and nothing but the password change works until they choose one", async () => {
        const alice = await signIn(app, 'alice');
        const olga = await signIn(app, 'olga');
        const reset = await alice.inject({ method: 'POST', url: `/admin/staff/${olga.id}/password-reset` });
        assert.equal(reset.statusCode, 200, reset.payload);
        const { temporary_password: temporary } = reset.result as { temporary_password: string };
        assert.ok(temporary.length >= 16);
        assert.equal((await whoAmI(olga)).statusCode, 401, 'signed out');

        const fresh = await signIn(app, 'olga', temporary);
        const session = (await whoAmI(fresh)).result as { scopes: string[]; staff: { password_change_required: boolean } };
        assert.deepEqual(session.scopes, []);
        assert.equal(session.staff.password_change_required, true);
        assert.equal((await fresh.inject({ method: 'GET', url: '/admin/orders' })).statusCode, 403, 'no scope until the password is changed');

        const weak = await fresh.inject({ method: 'PUT', url: '/admin/session/password', payload: { current_password: temporary, new_password: 'password1234' } });
        assert.equal(weak.statusCode, 400);
        const wrongCurrent = await fresh.inject({ method: 'PUT', url: '/admin/session/password', payload: { current_password: 'not-the-temporary-one', new_password: 'Parcels-Go-Out-At-Nine' } });
        assert.equal(wrongCurrent.statusCode, 403);
        const changed = await fresh.inject({ method: 'PUT', url: '/admin/session/password', payload: { current_password: temporary, new_password: 'Parcels-Go-Out-At-Nine' } });
        assert.equal(changed.statusCode, 200, changed.payload);
        assert.ok((changed.result as { scopes: string[] }).scopes.includes('shipping'));
        assert.equal((await fresh.inject({ method: 'GET', url: '/admin/orders' })).statusCode, 200, 'the same session, now with its scopes');
        await signIn(app, 'olga', 'Parcels-Go-Out-At-Nine');
        await app.server.services().staff.setPassword(olga.id, STAFF_PASSWORD);
    });
});

describe('staff session cookies over https', () => {
    it('carry Secure when PUBLIC_URL is https', async () => {
        const app = await startTestApp({ listen: false, env: { PUBLIC_URL: 'https://shop.example.com' } });
        try {
            await createStaff(app, 'alice', 'owner');
            const response = await app.inject({ method: 'POST', url: '/admin/session', payload: { name: 'alice', password: STAFF_PASSWORD } });
            const lines = ([] as string[]).concat(response.headers['set-cookie'] as string[]);
            assert.equal(lines.length, 2);
            for (const line of lines) {
                assert.match(line, /; Secure/);
                assert.match(line, /; HttpOnly/);
                assert.match(line, /; SameSite=Strict/);
            }
        }
        finally {
            await app.stop();
        }
    });
});
