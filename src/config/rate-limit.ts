import Joi from 'joi';

import { limit, type ConfigSection } from './settings';

/** A route's allowance per window; 0 means no limit. */
export interface RateBudget {
    readonly perUser: number;
    readonly perIp: number;
}

export interface RateLimitConfig {
    readonly windowSeconds: number;
    /** An IPv6 client's per-address budgets count its first this many bits (its /64 by default): it holds all of them. */
    readonly ipv6PrefixLength: number;
    /** Unset: counters live in this process's memory, so each instance has a budget of its own. */
    readonly redis?: {
        readonly url: string;
        /** Keys are `<prefix><rule>:<user|ip>:<id>`: several apps (or test runs) can share one Redis. */
        readonly keyPrefix: string;
        /** Connect and command timeout: past it the limiter lets the request through. */
        readonly timeoutMs: number;
    };
    readonly login: RateBudget;
    readonly orders: RateBudget;
    readonly pay: RateBudget;
    /** GET /orders/{id}'s calls to WeChat's orderquery. */
    readonly orderQuery: RateBudget;
    /** Staff sign-ins (POST /admin/session): per staff name tried (perUser) and per address. */
    readonly staffLogin: RateBudget;
}

export const rateLimit: ConfigSection<RateLimitConfig> = {
    keys: {
        REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
        REDIS_KEY_PREFIX: Joi.string().pattern(/^[A-Za-z0-9:._-]{1,64}$/).default('wxshop:rate:'),
        REDIS_TIMEOUT_MS: Joi.number().integer().min(10).max(5000).default(250),
        RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
        RATE_LIMIT_IPV6_PREFIX: Joi.number().integer().min(16).max(128).default(64),
        RATE_LIMIT_LOGIN_PER_IP: limit(60),
        RATE_LIMIT_ORDERS_PER_USER: limit(10),
        RATE_LIMIT_ORDERS_PER_IP: limit(60),
        RATE_LIMIT_PAY_PER_USER: limit(20),
        RATE_LIMIT_PAY_PER_IP: limit(120),
        ORDER_QUERY_PER_USER: limit(30),
        RATE_LIMIT_STAFF_LOGIN_PER_NAME: limit(10),
        RATE_LIMIT_STAFF_LOGIN_PER_IP: limit(30),
    },
    read: (settings) => ({
        windowSeconds: settings.RATE_LIMIT_WINDOW_SECONDS,
        ipv6PrefixLength: settings.RATE_LIMIT_IPV6_PREFIX,
        redis: settings.REDIS_URL === undefined ? undefined : {
            url: settings.REDIS_URL,
            keyPrefix: settings.REDIS_KEY_PREFIX,
            timeoutMs: settings.REDIS_TIMEOUT_MS,
        },
        // A sign-in has no user yet: only its address is counted.
        login: { perUser: 0, perIp: settings.RATE_LIMIT_LOGIN_PER_IP },
        orders: { perUser: settings.RATE_LIMIT_ORDERS_PER_USER, perIp: settings.RATE_LIMIT_ORDERS_PER_IP },
        pay: { perUser: settings.RATE_LIMIT_PAY_PER_USER, perIp: settings.RATE_LIMIT_PAY_PER_IP },
        // Only a user's own orders are read, so the user is the one to count.
        orderQuery: { perUser: settings.ORDER_QUERY_PER_USER, perIp: 0 },
        // A password guesser is held back per name it tries and per address it tries from.
        staffLogin: { perUser: settings.RATE_LIMIT_STAFF_LOGIN_PER_NAME, perIp: settings.RATE_LIMIT_STAFF_LOGIN_PER_IP },
    }),
};
