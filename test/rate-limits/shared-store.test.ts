import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { Redis } from 'ioredis';

import { startTestApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/wait';
import { SilentRedis } from './silent-redis';
import { assertTooMany, signIn } from './support';

// With REDIS_URL the counters live in Redis, so every instance spends one budget; without it
// each instance counts alone. A Redis that is down or hangs never holds a request up: the
// limiter lets it through (fail open) and logs a warning.

const WINDOW_SECONDS = 10;
const PER_IP = 4;
const REDIS_URL = process.env.TEST_REDIS_URL;
const limits = { RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMIT_LOGIN_PER_IP: String(PER_IP) };

describe('two instances with one REDIS_URL', { skip: REDIS_URL ? false : 'TEST_REDIS_URL is not set' }, () => {
    // A prefix of this run's own: parallel runs on one Redis never share a counter.
    const prefix = `wxshop-test:${randomBytes(6).toString('hex')}:`;
    let redis: Redis;
    let instances: TestApp[];

    before(async () => {
        redis = new Redis(REDIS_URL!);
        const env = { ...limits, REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix };
        instances = await Promise.all([startTestApp({ env }), startTestApp({ env })]);
    });

    after(async () => {
        await Promise.all(instances.map((instance) => instance.stop()));
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) {
            await redis.del(...keys);
        }
        redis.disconnect();
    });

    it(`share one budget: ${PER_IP} sign-ins from one address, split across them, spend it on both`, async () => {
        for (let index = 0; index < PER_IP; index += 1) {
            const response = await signIn(instances[index % 2]!, '198.51.100.7');
            assert.equal(response.statusCode, 200, response.payload);
        }
        for (const instance of instances) {
            assertTooMany(await signIn(instance, '198.51.100.7'), WINDOW_SECONDS, /too many sign-ins from this address/);
        }

        const key = `${prefix}login:ip:198.51.100.7`;
        assert.equal(await redis.get(key), String(PER_IP + 2), 'one counter in Redis, every request counted');
        const ttl = await redis.pttl(key);
        assert.ok(ttl > 0 && ttl <= WINDOW_SECONDS * 1000, `the window expires by itself (PTTL ${ttl})`);
    });
});

describe('two instances without REDIS_URL', () => {
    let instances: TestApp[];

    before(async () => {
        instances = await Promise.all([startTestApp({ env: limits }), startTestApp({ env: limits })]);
    });

    after(async () => {
        await Promise.all(instances.map((instance) => instance.stop()));
    });

    it('count alone: each has a budget of its own (memory, per instance)', async () => {
        for (const instance of instances) {
            for (let index = 0; index < PER_IP; index += 1) {
                assert.equal((await signIn(instance, '198.51.100.8')).statusCode, 200);
            }
        }
        assertTooMany(await signIn(instances[0]!, '198.51.100.8'), WINDOW_SECONDS, /this address/);
    });
});

const UNAVAILABLE: Array<{ what: string; open: () => Promise<{ url: string; close(): Promise<void> }> }> = [
    { what: 'nothing listens at REDIS_URL', open: async () => ({ url: `redis://127.0.0.1:${await freePort()}`, close: async () => undefined }) },
    { what: 'Redis accepts connections but never answers', open: () => SilentRedis.open({ answersHandshake: false }) },
    { what: 'Redis is connected but never answers a count', open: () => SilentRedis.open({ answersHandshake: true }) },
];

for (const { what, open } of UNAVAILABLE) {
    describe(`when ${what}`, () => {
        let redis: { url: string; close(): Promise<void> };
        let app: TestApp;
        let startMs: number;

        before(async () => {
            redis = await open();
            const started = Date.now();
            app = await startTestApp({ env: { ...limits, REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200' } });
            startMs = Date.now() - started;
        });

        after(async () => {
            await app.stop();
            await redis.close();
        });

        it('the app starts, and every request still succeeds, each within a second, with a warning logged', async () => {
            assert.ok(startMs < 5000, `started in ${startMs} ms`);
            for (let index = 0; index < PER_IP + 2; index += 1) {
                const started = Date.now();
                const response = await signIn(app, '198.51.100.9');
                const elapsed = Date.now() - started;
                assert.equal(response.statusCode, 200, response.payload);
                assert.ok(elapsed < 1000, `sign-in ${index + 1} took ${elapsed} ms`);
            }
            const warnings = app.logs.filter((line) => line.includes('rate limit store unavailable; requests are not limited'));
            assert.equal(warnings.length, 1, 'one warning, not one per request');
        });
    });
}
