import { Redis, type Result } from 'ioredis';

import type { RateLimitConfig } from '../config';
import type { RateLimitStore, WindowCount } from './rate-limiter';

/**
 * One round trip, atomic: count the request and, for a window's first request (or a key
 * that somehow lost its expiry), open the window. Every instance sees the same count.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

declare module 'ioredis' {
    interface RedisCommander<Context> {
        rateLimitHit(key: string, windowMs: number): Result<[number, number], Context>;
    }
}

/** The longest pause between reconnection attempts while Redis is down. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** Counters in a Redis that every instance shares, so they spend one budget between them. */
export class RedisRateLimitStore implements RateLimitStore {
    private readonly client: Redis;
    private readonly timeoutMs: number;

    constructor({ url, keyPrefix, timeoutMs }: NonNullable<RateLimitConfig['redis']>) {
        this.timeoutMs = timeoutMs;
        this.client = new Redis(url, {
            keyPrefix,
            connectTimeout: timeoutMs,
            commandTimeout: timeoutMs,
            // While disconnected a command fails at once instead of waiting in a queue: the
            // request it belongs to goes through unlimited rather than hanging.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
        });
        // Connection errors repeat on every reconnection attempt; the limiter reports the
        // failures that matter, those of a request's count, once a minute.
        this.client.on('error', () => undefined);
        this.client.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    }

    /** Waits, at most the timeout, for the first connection, so the first requests are counted too. */
    connected(): Promise<boolean> {
        if (this.client.status === 'ready') {
            return Promise.resolve(true);
        }
        return new Promise((resolve) => {
            const settle = (ready: boolean) => {
                clearTimeout(timer);
                this.client.off('ready', onReady);
                resolve(ready);
            };
            const onReady = () => settle(true);
            const timer = setTimeout(() => settle(false), this.timeoutMs);
            this.client.once('ready', onReady);
        });
    }

    async hit(key: string, windowMs: number): Promise<WindowCount> {
        const [count, resetInMs] = await this.client.rateLimitHit(key, windowMs);
        return { count, resetInMs };
    }

    /** No QUIT handshake: a hung Redis must not hold up the server's stop. */
    async close(): Promise<void> {
        this.client.disconnect();
    }
}
