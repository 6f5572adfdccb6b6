import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import pino from 'pino';

import { loadConfig } from '../../src/config';
import { clientNetwork } from '../../src/services/client-network';
import { MemoryRateLimitStore } from '../../src/services/rate-limit-store-memory';
import { RateLimiter } from '../../src/services/rate-limiter';
import { startTestApp, type TestApp } from '../helpers/app';
import { assertTooMany, signIn } from './support';

// An IPv6 client usually holds a whole /64 (privacy addresses rotate within it, and a script can
// pick any of its 2^64), so per-address budgets count an IPv6 client by its prefix
// (RATE_LIMIT_IPV6_PREFIX, /64 by default); an IPv4-mapped address counts as the IPv4 address.

const WINDOW_SECONDS = 60;
const PER_IP = 5;

/** A random address inside `prefix64` (four groups), as a privacy-extension client would use. */
const addressIn = (prefix64: string) => `${prefix64}:${randomBytes(8).toString('hex').match(/.{4}/g)!.join(':')}`;

describe('the network a client is counted by', () => {
    it('is an IPv6 address\'s prefix, written one way whatever the spelling', () => {
        assert.equal(clientNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64), '2001:db8:1:2::/64');
        assert.equal(clientNetwork('2001:0DB8:0001:0002::1', 64), '2001:db8:1:2::/64');
        assert.equal(clientNetwork('2001:db8::1', 64), '2001:db8:0:0::/64');
        assert.equal(clientNetwork('2001:db8:1:2ff::1', 56), '2001:db8:1:200::/56');
        assert.equal(clientNetwork('2001:db8:1:2ff::1', 48), '2001:db8:1::/48');
        assert.equal(clientNetwork('2001:db8::7', 128), '2001:db8:0:0:0:0:0:7/128');
        assert.equal(clientNetwork('::1', 64), '0:0:0:0::/64');
        assert.equal(clientNetwork('fe80::1%eth0', 64), 'fe80:0:0:0::/64');
    });

    it('is the IPv4 address itself, however it is written', () => {
        for (const spelling of ['198.51.100.7', '::ffff:198.51.100.7', '::FFFF:198.51.100.7', '::ffff:c633:6407', '0:0:0:0:0:ffff:198.51.100.7']) {
            assert.equal(clientNetwork(spelling, 64), '198.51.100.7', spelling);
        }
    });

    it('is what was given when it is no address at all', () => {
        assert.equal(clientNetwork('unknown', 64), 'unknown');
    });

    it('keeps one counter for a client rotating through its /64', async () => {
        const store = new MemoryRateLimitStore();
        const limiter = new RateLimiter(store, loadConfig({ RATE_LIMIT_LOGIN_PER_IP: String(PER_IP) }).rateLimit, pino({ enabled: false }));
        const verdicts = [];
        for (let index = 0; index < 10_000; index += 1) {
            verdicts.push(await limiter.check('login', { ip: addressIn('2001:db8:77:1') }));
        }
        assert.equal(verdicts.filter((verdict) => verdict.allowed).length, PER_IP);
        assert.equal(store.size, 1, 'one key for the whole /64');
    });
});

describe('POST /users/wxLogin from IPv6 clients', () => {
    let app: TestApp;
    let wide: TestApp;

    before(async () => {
        const env = { RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMIT_LOGIN_PER_IP: String(PER_IP), TRUSTED_PROXIES: '127.0.0.1' };
        app = await startTestApp({ env });
        wide = await startTestApp({ env: { ...env, RATE_LIMIT_IPV6_PREFIX: '48' } });
    });

    after(async () => {
        await wide.stop();
        await app.stop();
    });

    it(`allows ${PER_IP} sign-ins to a /64, however many of its addresses it uses`, async () => {
        const answers = [];
        for (let index = 0; index < 30; index += 1) {
            answers.push(await signIn(app, addressIn('2001:db8:1:2')));
        }
        assert.deepEqual(answers.map((answer) => answer.statusCode), [...Array(PER_IP).fill(200), ...Array(30 - PER_IP).fill(429)]);
        assertTooMany(answers.at(-1)!, WINDOW_SECONDS, /too many sign-ins from this address/);
        assert.equal((await signIn(app, addressIn('2001:db8:1:3'))).statusCode, 200, 'the next /64 has its own budget');
    });

    it('counts a client a trusted proxy names by its /64 too', async () => {
        for (let index = 0; index < PER_IP; index += 1) {
            assert.equal((await signIn(app, '127.0.0.1', addressIn('2001:db8:5:5'))).statusCode, 200);
        }
        assertTooMany(await signIn(app, '127.0.0.1', addressIn('2001:db8:5:5')), WINDOW_SECONDS, /this address/);
    });

    it('counts an IPv4-mapped address as the IPv4 address', async () => {
        for (const address of ['198.51.100.7', '::ffff:198.51.100.7', '198.51.100.7', '::ffff:198.51.100.7', '198.51.100.7']) {
            assert.equal((await signIn(app, address)).statusCode, 200, address);
        }
        assertTooMany(await signIn(app, '127.0.0.1', '::FFFF:198.51.100.7'), WINDOW_SECONDS, /this address/);
    });

    it('counts by a wider prefix when RATE_LIMIT_IPV6_PREFIX says so', async () => {
        const answers = [];
        for (let index = 0; index < PER_IP + 1; index += 1) {
            answers.push(await signIn(wide, addressIn(`2001:db8:9:${index.toString(16)}`)));
        }
        assert.deepEqual(answers.map((answer) => answer.statusCode), [...Array(PER_IP).fill(200), 429], 'six /64s of one /48');
    });
});
