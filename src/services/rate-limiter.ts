import type { Logger } from 'pino';

import type { RateBudget, RateLimitConfig } from '../config';
import { clientNetwork } from './client-network';

/** One request counted against a key: how many so far in the key's window, and when that window ends. */
export interface WindowCount {
    readonly count: number;
    readonly resetInMs: number;
}

/** Where the counters live: this process's memory, or a Redis every instance shares. */
export interface RateLimitStore {
    /** Counts one request against `key`; its first request opens a window of `windowMs`. */
    hit(key: string, windowMs: number): Promise<WindowCount>;
    close(): Promise<void>;
}

export type RateLimitRule = 'login' | 'orders' | 'pay' | 'orderQuery' | 'staffLogin';
export type RateLimitScope = keyof RateBudget;

export interface Caller {
    /** A shopper's id, or the staff name a sign-in tries. */
    readonly userId?: number | string;
    readonly ip: string;
}

export type Verdict =
    | { readonly allowed: true }
    | { readonly allowed: false; readonly scope: RateLimitScope; readonly limit: number; readonly retryAfterSeconds: number };

/** While the store keeps failing, one warning per this interval rather than one per request. */
const WARN_EVERY_MS = 60_000;

/**
 * Fixed-window budgets per user and per IP address (an IPv6 client's by its prefix). When the store fails (Redis down or
 * slow), requests are let through with a warning: a missing limit costs less than a shop
 * that cannot take orders.
 */
export class RateLimiter {
    private lastWarnedAt = -Infinity;
    private failuresSinceWarning = 0;

    constructor(
        private readonly store: RateLimitStore,
        private readonly config: RateLimitConfig,
        private readonly logger: Logger,
    ) {}

    get windowSeconds(): number {
        return this.config.windowSeconds;
    }

    /** Counts the request against each of the caller's budgets for `rule`; refused when any is spent. */
    async check(rule: RateLimitRule, caller: Caller): Promise<Verdict> {
        const budget = this.config[rule];
        const charges: Array<{ scope: RateLimitScope; limit: number; key: string }> = [];
        if (budget.perUser > 0 && caller.userId !== undefined) {
            charges.push({ scope: 'perUser', limit: budget.perUser, key: `${rule}:user:${caller.userId}` });
        }
        if (budget.perIp > 0) {
            charges.push({ scope: 'perIp', limit: budget.perIp, key: `${rule}:ip:${clientNetwork(caller.ip, this.config.ipv6PrefixLength)}` });
        }
        const counted = await Promise.all(charges.map(async (charge) => ({ ...charge, window: await this.hit(charge.key) })));
        let verdict: Verdict = { allowed: true };
        for (const { scope, limit, window } of counted) {
            if (window === undefined || window.count <= limit) {
                continue;
            }
            const retryAfterSeconds = Math.max(1, Math.ceil(window.resetInMs / 1000));
            // With both budgets spent, the caller must wait for the later one.
            if (verdict.allowed || retryAfterSeconds > verdict.retryAfterSeconds) {
                verdict = { allowed: false, scope, limit, retryAfterSeconds };
            }
        }
        return verdict;
    }

    close(): Promise<void> {
        return this.store.close();
    }

    /** undefined when the store failed: that budget does not hold this request back. */
    private async hit(key: string): Promise<WindowCount | undefined> {
        try {
            return await this.store.hit(key, this.config.windowSeconds * 1000);
        }
        catch (error) {
            this.warn(error as Error);
            return undefined;
        }
    }

    private warn(error: Error): void {
        this.failuresSinceWarning += 1;
        const now = Date.now();
        if (now - this.lastWarnedAt >= WARN_EVERY_MS) {
            this.logger.warn({ err: error.message, requestsLetThrough: this.failuresSinceWarning }, 'rate limit store unavailable; requests are not limited');
            this.lastWarnedAt = now;
            this.failuresSinceWarning = 0;
        }
    }
}
