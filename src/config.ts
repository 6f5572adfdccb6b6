import Joi from 'joi';

import { databaseFromEnv, type DatabaseLocation } from '../config/database';
import { SIGN_TYPES, type SignType } from './wechat/sign';

// The only module that reads the environment. Everything else receives a typed AppConfig.

/** WeChat's documented example merchant: the simulator's default, so dev signatures match WeChat's docs. */
export const EXAMPLE_MERCHANT: WechatMerchant = Object.freeze({
    appId: 'wxd930ea5d5a258f4f',
    mchId: '10000100',
    apiKey: '192006250b4c09247ec02edce69f6a2d',
    appSecret: 'devsecret0000000000000000000000a',
});

/** The value .env.example shows; production refuses it, as it refuses the dev default. */
export const EXAMPLE_JWT_SECRET = 'replace-me-with-a-random-string-of-32-or-more-characters';
const DEV_JWT_SECRET = 'dev-only-jwt-secret-never-use-in-production';

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface WechatMerchant {
    readonly appId: string;
    readonly appSecret: string;
    readonly mchId: string;
    readonly apiKey: string;
}

export interface WechatConfig extends WechatMerchant {
    /** Login server: jscode2session. */
    readonly apiBaseUrl: string;
    /** Pay server: unifiedorder, orderquery, closeorder. */
    readonly payBaseUrl: string;
    readonly notifyUrl: string;
    readonly signType: SignType;
    readonly httpTimeoutMs: number;
}

export interface SimulatorConfig {
    /** Mounted in-process under /__wechat. Never in production. */
    readonly enabled: boolean;
    /** Port of the standalone simulator (npm run simulator). */
    readonly port: number;
    /** Real-time seconds per simulated second: 0.001 runs WeChat's notify retry schedule in milliseconds. */
    readonly timeScale: number;
    /** How many senders deliver each notification at once, as WeChat sometimes does. */
    readonly notifyDuplicates: number;
    readonly notifyTimeoutMs: number;
}

export interface PayConfig {
    /** How long an unpaid order may be paid; sent to WeChat as time_expire. */
    readonly orderLifetimeMinutes: number;
    /** GET /orders/{id} asks WeChat about an unpaid order at most this often. */
    readonly orderQueryThrottleMs: number;
    /** How often the reconciler runs; 0 switches it off. */
    readonly reconcileIntervalMs: number;
}

export interface AppConfig {
    readonly env: NodeEnv;
    readonly server: {
        readonly host: string;
        readonly port: number;
        /** Addresses whose X-Forwarded-For is believed. */
        readonly trustedProxies: readonly string[];
        readonly shutdownTimeoutMs: number;
    };
    readonly logLevel: LogLevel;
    readonly database: DatabaseLocation & { readonly autoMigrate: boolean };
    readonly jwt: { readonly secret: string; readonly expiresIn: string };
    readonly wechat: WechatConfig;
    readonly pay: PayConfig;
    readonly simulator: SimulatorConfig;
    /** POST /users/createJWT, the tutorial's test token. Never in production. */
    readonly devLogin: boolean;
    /** Read-mostly data (shops, goods, a token's user) kept per instance: at most this old, at most this many per cache. */
    readonly cache: { readonly ttlMs: number; readonly maxEntries: number };
}

const boolean = () => Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off', '');

const schema = Joi.object({
    NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
    HOST: Joi.string().hostname().default('127.0.0.1'),
    PORT: Joi.number().integer().min(0).max(65535).default(3000),
    LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
    TRUSTED_PROXIES: Joi.string().allow('').default(''),
    SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10_000),
    DB_AUTO_MIGRATE: boolean(),
    JWT_SECRET: Joi.string().min(32),
    JWT_EXPIRES_IN: Joi.string().pattern(/^\d+(s|m|h|d)$/).message('"JWT_EXPIRES_IN" must be a number with a unit: s, m, h or d (e.g. 7d)').default('7d'),
    WX_APPID: Joi.string().pattern(/^wx[0-9a-z]{16}$/i),
    WX_SECRET: Joi.string().min(16),
    WX_MCHID: Joi.string().pattern(/^\d{6,32}$/),
    WX_PAY_API_KEY: Joi.string().length(32),
    WX_API_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    WX_PAY_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    WX_PAY_NOTIFY_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    WX_PAY_SIGN_TYPE: Joi.string().valid(...SIGN_TYPES).default('MD5'),
    WX_HTTP_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).default(5000),
    ORDER_LIFETIME_MINUTES: Joi.number().integer().min(5).max(7 * 24 * 60).default(30),
    ORDER_QUERY_THROTTLE_MS: Joi.number().integer().min(0).default(5000),
    RECONCILE_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
    CACHE_TTL_MS: Joi.number().integer().min(0).max(3_600_000).default(10_000),
    CACHE_MAX_ENTRIES: Joi.number().integer().min(1).max(1_000_000).default(10_000),
    WECHAT_SIMULATOR: boolean(),
    DEV_LOGIN: boolean(),
    SIMULATOR_PORT: Joi.number().integer().min(0).max(65535).default(3100),
    SIMULATOR_TIME_SCALE: Joi.number().positive().max(1).default(1),
    SIMULATOR_NOTIFY_DUPLICATES: Joi.number().integer().min(1).max(20).default(1),
    SIMULATOR_NOTIFY_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
});

/**
 * Validates the environment once. Throws an Error whose one-line message names the
 * offending variable; the entry point prints it and exits non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
    const { error, value } = schema.validate(env, { allowUnknown: true, abortEarly: true, convert: true });
    if (error) {
        throw new Error(`Invalid configuration: ${error.message}`);
    }
    const isProduction = value.NODE_ENV === 'production';
    const simulatorEnabled: boolean = value.WECHAT_SIMULATOR ?? (!isProduction && value.WX_PAY_BASE_URL === undefined);
    const devLogin: boolean = value.DEV_LOGIN ?? !isProduction;

    if (isProduction) {
        assertProductionSafe(value, simulatorEnabled, devLogin);
    }

    const loopbackHost = value.HOST === '0.0.0.0' || value.HOST === '::' ? '127.0.0.1' : value.HOST;
    const selfUrl = `http://${loopbackHost.includes(':') ? `[${loopbackHost}]` : loopbackHost}:${value.PORT}`;
    const simulatorUrl = `${selfUrl}/__wechat`;
    const merchant = merchantFrom(value);

    let database: AppConfig['database'];
    try {
        database = { ...databaseFromEnv(env), autoMigrate: value.DB_AUTO_MIGRATE ?? !isProduction };
    }
    catch (dbError) {
        throw new Error(`Invalid configuration: ${(dbError as Error).message}`);
    }

    return deepFreeze({
        env: value.NODE_ENV,
        server: {
            host: value.HOST,
            port: value.PORT,
            trustedProxies: value.TRUSTED_PROXIES.split(',').map((proxy: string) => proxy.trim()).filter(Boolean),
            shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
        },
        logLevel: value.LOG_LEVEL,
        database,
        jwt: { secret: value.JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: value.JWT_EXPIRES_IN },
        wechat: {
            ...merchant,
            apiBaseUrl: value.WX_API_BASE_URL ?? (simulatorEnabled ? simulatorUrl : 'https://api.weixin.qq.com'),
            payBaseUrl: value.WX_PAY_BASE_URL ?? (simulatorEnabled ? simulatorUrl : 'https://api.mch.weixin.qq.com'),
            notifyUrl: value.WX_PAY_NOTIFY_URL ?? `${selfUrl}/orders/pay/notify`,
            signType: value.WX_PAY_SIGN_TYPE,
            httpTimeoutMs: value.WX_HTTP_TIMEOUT_MS,
        },
        pay: {
            orderLifetimeMinutes: value.ORDER_LIFETIME_MINUTES,
            orderQueryThrottleMs: value.ORDER_QUERY_THROTTLE_MS,
            reconcileIntervalMs: value.RECONCILE_INTERVAL_MS,
        },
        simulator: {
            enabled: simulatorEnabled,
            port: value.SIMULATOR_PORT,
            timeScale: value.SIMULATOR_TIME_SCALE,
            notifyDuplicates: value.SIMULATOR_NOTIFY_DUPLICATES,
            notifyTimeoutMs: value.SIMULATOR_NOTIFY_TIMEOUT_MS,
        },
        devLogin,
        cache: { ttlMs: value.CACHE_TTL_MS, maxEntries: value.CACHE_MAX_ENTRIES },
    });
}

function merchantFrom(value: Record<string, string | undefined>): WechatMerchant {
    return {
        appId: value.WX_APPID ?? EXAMPLE_MERCHANT.appId,
        appSecret: value.WX_SECRET ?? EXAMPLE_MERCHANT.appSecret,
        mchId: value.WX_MCHID ?? EXAMPLE_MERCHANT.mchId,
        apiKey: value.WX_PAY_API_KEY ?? EXAMPLE_MERCHANT.apiKey,
    };
}

function assertProductionSafe(value: Record<string, unknown>, simulatorEnabled: boolean, devLogin: boolean): void {
    const refuse = (message: string): never => {
        throw new Error(`Invalid configuration: ${message} (NODE_ENV=production)`);
    };
    if (value.JWT_SECRET === undefined) {
        refuse('JWT_SECRET is required, at least 32 characters');
    }
    if (value.JWT_SECRET === EXAMPLE_JWT_SECRET || value.JWT_SECRET === DEV_JWT_SECRET) {
        refuse('JWT_SECRET must not be the example or development value');
    }
    for (const name of ['WX_APPID', 'WX_SECRET', 'WX_MCHID', 'WX_PAY_API_KEY', 'WX_PAY_NOTIFY_URL']) {
        if (value[name] === undefined) {
            refuse(`${name} is required`);
        }
    }
    if (value.WX_PAY_API_KEY === EXAMPLE_MERCHANT.apiKey || value.WX_SECRET === EXAMPLE_MERCHANT.appSecret) {
        refuse('WX_PAY_API_KEY and WX_SECRET must not be the example values');
    }
    if (simulatorEnabled) {
        refuse('WECHAT_SIMULATOR cannot be on');
    }
    if (devLogin) {
        refuse('DEV_LOGIN cannot be on');
    }
}

function deepFreeze<T>(object: T): T {
    for (const value of Object.values(object as object)) {
        if (typeof value === 'object' && value !== null) {
            deepFreeze(value);
        }
    }
    return Object.freeze(object);
}
