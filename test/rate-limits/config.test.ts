import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadConfig } from '../../src/config';

// The limits are environment variables with defaults a shopper tapping normally never meets;
// 0 switches one off; a wrong value stops the start naming the variable.

describe('rate limit configuration', () => {
    it('has defaults, counting in memory when REDIS_URL is unset', () => {
        const config = loadConfig({});
        assert.deepEqual(config.rateLimit, {
            windowSeconds: 60,
            ipv6PrefixLength: 64,
            redis: undefined,
            login: { perUser: 0, perIp: 60 },
            orders: { perUser: 10, perIp: 60 },
            pay: { perUser: 20, perIp: 120 },
            orderQuery: { perUser: 30, perIp: 0 },
            staffLogin: { perUser: 10, perIp: 30 },
        });
        assert.equal(config.pay.maxUnpaidPerUser, 10);
    });

    it('reads every variable; REDIS_URL switches to Redis with a key prefix and a timeout', () => {
        const config = loadConfig({
            REDIS_URL: 'redis://:secret@redis.internal:6379/2',
            REDIS_KEY_PREFIX: 'shop7:',
            REDIS_TIMEOUT_MS: '100',
            RATE_LIMIT_WINDOW_SECONDS: '30',
            RATE_LIMIT_IPV6_PREFIX: '56',
            RATE_LIMIT_LOGIN_PER_IP: '1',
            RATE_LIMIT_ORDERS_PER_USER: '2',
            RATE_LIMIT_ORDERS_PER_IP: '3',
            RATE_LIMIT_PAY_PER_USER: '4',
            RATE_LIMIT_PAY_PER_IP: '5',
            ORDER_QUERY_PER_USER: '0',
            RATE_LIMIT_STAFF_LOGIN_PER_NAME: '6',
            RATE_LIMIT_STAFF_LOGIN_PER_IP: '7',
            ORDER_MAX_UNPAID_PER_USER: '0',
        });
        assert.deepEqual(config.rateLimit, {
            windowSeconds: 30,
            ipv6PrefixLength: 56,
            redis: { url: 'redis://:secret@redis.internal:6379/2', keyPrefix: 'shop7:', timeoutMs: 100 },
            login: { perUser: 0, perIp: 1 },
            orders: { perUser: 2, perIp: 3 },
            pay: { perUser: 4, perIp: 5 },
            orderQuery: { perUser: 0, perIp: 0 },
            staffLogin: { perUser: 6, perIp: 7 },
        });
        assert.equal(config.pay.maxUnpaidPerUser, 0);
    });

    for (const [name, value] of [
        ['RATE_LIMIT_ORDERS_PER_USER', '-1'],
        ['RATE_LIMIT_WINDOW_SECONDS', '0'],
        ['RATE_LIMIT_IPV6_PREFIX', '129'],
        ['ORDER_MAX_UNPAID_PER_USER', 'ten'],
        ['REDIS_URL', 'http://127.0.0.1:6379'],
        ['REDIS_TIMEOUT_MS', '60000'],
    ] as const) {
        it(`refuses ${name}=${value}, naming it`, () => {
            assert.throws(() => loadConfig({ [name]: value }), (error: Error) => error.message.startsWith('Invalid configuration:') && error.message.includes(name));
        });
    }
});
