import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEV_STAFF_SESSION_SECRET, EXAMPLE_STAFF_SESSION_SECRET, loadConfig } from '../../src/config';
import { startTestApp, type TestApp } from '../helpers/app';
import { PRODUCTION_ENV } from '../helpers/production-env';
import { createStaff, signIn, STAFF_PASSWORD } from '../helpers/staff';

// Sign-in: limited per name tried and per address (before any argon2 work), one answer for every
// refusal, the same cost for an unknown name as for a wrong password, and nothing secret logged.

const attempt = (app: TestApp, name: string, password: string, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/admin/session', payload: { name, password }, remoteAddress });

describe('staff sign-in is rate-limited', () => {
    it('per name tried, whatever the address', async () => {
        const app = await startTestApp({ listen: false, env: { RATE_LIMIT_STAFF_LOGIN_PER_NAME: '3', RATE_LIMIT_STAFF_LOGIN_PER_IP: '0' } });
        try {
            await createStaff(app, 'alice', 'owner');
            for (let index = 0; index < 3; index += 1) {
                assert.equal((await attempt(app, 'alice', 'wrong-password-guess', `198.51.100.${index}`)).statusCode, 401);
            }
            const started = Date.now();
            const limited = await attempt(app, 'alice', STAFF_PASSWORD, '198.51.100.9');
            assert.equal(limited.statusCode, 429, limited.payload);
            assert.ok(Number(limited.headers['retry-after']) >= 1);
            assert.ok(Date.now() - started < 50, 'refused before the password is hashed');
            assert.equal((await attempt(app, 'bob', 'wrong-password-guess', '198.51.100.9')).statusCode, 401, 'another name has its own budget');
        }
        finally {
            await app.stop();
        }
    });

    it('per address, whatever the names', async () => {
        const app = await startTestApp({ listen: false, env: { RATE_LIMIT_STAFF_LOGIN_PER_NAME: '0', RATE_LIMIT_STAFF_LOGIN_PER_IP: '3' } });
        try {
            for (const name of ['ann', 'ben', 'cat']) {
                assert.equal((await attempt(app, name, 'some-password-guess', '203.0.113.5')).statusCode, 401);
            }
            assert.equal((await attempt(app, 'dan', 'some-password-guess', '203.0.113.5')).statusCode, 429);
            assert.equal((await attempt(app, 'dan', 'some-password-guess', '203.0.113.6')).statusCode, 401);
        }
        finally {
            await app.stop();
        }
    });
});

describe('what a refused sign-in tells', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ listen: false, env: { RATE_LIMIT_STAFF_LOGIN_PER_NAME: '0', RATE_LIMIT_STAFF_LOGIN_PER_IP: '0' } });
        await createStaff(app, 'alice', 'owner');
    });
    after(() => app.stop());

    it('costs an unknown name what it costs a wrong password (both run argon2id)', async () => {
        // CPU time, not wall time: the machine's other work stretches wall times at random.
        const times = { unknown: [] as number[], wrong: [] as number[] };
        for (let round = 0; round < 8; round += 1) {
            for (const [kind, name] of [['unknown', `nobody${round}`], ['wrong', 'alice']] as const) {
                const started = process.cpuUsage();
                const response = await attempt(app, name, 'a-wrong-password-123');
                const { user, system } = process.cpuUsage(started);
                times[kind].push((user + system) / 1000);
                assert.equal(response.statusCode, 401);
                assert.equal(JSON.parse(response.payload).message, 'wrong name or password');
            }
        }
        const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
        const [unknown, wrong] = [median(times.unknown), median(times.wrong)];
        assert.ok(unknown > 20 && wrong > 20, `argon2 ran both times (${unknown.toFixed(1)} ms, ${wrong.toFixed(1)} ms)`);
        assert.ok(unknown / wrong > 0.75 && unknown / wrong < 1.33, `unknown ${unknown.toFixed(1)} ms vs wrong password ${wrong.toFixed(1)} ms of CPU`);
    });

    it('stores argon2id hashes, and logs no password, hash, cookie or crumb', async () => {
        const row = await app.server.app.models.Staff.scope('withPasswordHash').findOne({ where: { name: 'alice' } });
        assert.match(row!.passwordHash, /^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
        const alice = await signIn(app, 'alice');
        await alice.inject({ method: 'PUT', url: '/admin/session/password', payload: { current_password: STAFF_PASSWORD, new_password: 'Brand-New-Secret-Words-9' } });
        await alice.inject({ method: 'DELETE', url: '/admin/session' });
        const logs = app.logs.join('\n');
        for (const secret of [STAFF_PASSWORD, 'Brand-New-Secret-Words-9', 'a-wrong-password-123', '$argon2', alice.crumb, ...Object.values(alice.cookies).filter((value) => value.length > 10)]) {
            assert.ok(!logs.includes(secret), `the logs hold ${secret.slice(0, 12)}…`);
        }
    });
});

describe('STAFF_SESSION_SECRET', () => {
    it('has a development default, and production refuses a missing, example, weak or shared one', () => {
        assert.equal(loadConfig({}).staff.sessionSecret, DEV_STAFF_SESSION_SECRET);
        const { STAFF_SESSION_SECRET: _secret, ...withoutSecret } = PRODUCTION_ENV;
        assert.throws(() => loadConfig(withoutSecret), /STAFF_SESSION_SECRET is required/);
        for (const [secret, reason] of [
            [EXAMPLE_STAFF_SESSION_SECRET, /must not be the example or development value/],
            [DEV_STAFF_SESSION_SECRET, /must not be the example or development value/],
            ['abababababababababababababababababab', /at least 10 distinct characters/],
            [PRODUCTION_ENV.JWT_SECRET, /must not be JWT_SECRET's value/],
            ['short', /at least 32 characters/],
        ] as const) {
            assert.throws(() => loadConfig({ ...PRODUCTION_ENV, STAFF_SESSION_SECRET: secret }), reason, secret);
        }
        const adminKey = 'Adm1n-K3y-for-this-test-0123456789-abcdefgh';
        assert.throws(() => loadConfig({ ...PRODUCTION_ENV, ADMIN_API_KEY: adminKey, STAFF_SESSION_SECRET: adminKey }), /must not be ADMIN_API_KEY's value/);
        assert.equal(loadConfig(PRODUCTION_ENV).staff.sessionSecret, PRODUCTION_ENV.STAFF_SESSION_SECRET);
    });

    it('takes session timeouts as settings, the idle one within the maximum', () => {
        const config = loadConfig({ STAFF_SESSION_IDLE_MINUTES: '10', STAFF_SESSION_MAX_HOURS: '2' });
        assert.equal(config.staff.idleTimeoutMs, 600_000);
        assert.equal(config.staff.absoluteTimeoutMs, 7_200_000);
        assert.deepEqual([loadConfig({}).staff.idleTimeoutMs, loadConfig({}).staff.absoluteTimeoutMs], [30 * 60_000, 12 * 3_600_000]);
        assert.throws(() => loadConfig({ STAFF_SESSION_IDLE_MINUTES: '180', STAFF_SESSION_MAX_HOURS: '2' }), /must not exceed STAFF_SESSION_MAX_HOURS/);
    });
});
