import Joi from 'joi';

import { databaseFromEnv, type DatabaseLocation } from '../config/database';
import type { MerchantCertificateSource } from './wechat/merchant-certificate';
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
/** The merchant API's key on a development machine with the example merchant (README says so); never anywhere else. */
export const DEV_ADMIN_API_KEY = 'dev-admin-key-for-the-example-merchant-only';

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface WechatMerchant {
    readonly appId: string;
    readonly appSecret: string;
    readonly mchId: string;
    readonly apiKey: string;
}

export interface WechatConfig extends WechatMerchant {
    /** Login server and mini-program APIs: jscode2session, stable_token, upload_shipping_info. */
    readonly apiBaseUrl: string;
    /** Pay server: unifiedorder, orderquery, closeorder. */
    readonly payBaseUrl: string;
    readonly notifyUrl: string;
    readonly signType: SignType;
    readonly httpTimeoutMs: number;
}

export interface RefundConfig {
    /**
     * The merchant certificate for /secapi (refunds). 'development': the simulator's dev
     * certificate, made on first run. Undefined: refunds answer 501 (nothing to sign them with).
     */
    readonly certificate: MerchantCertificateSource | 'development' | undefined;
    /** Starts every out_refund_no, so environments sharing one mch_id never collide. */
    readonly outRefundNoPrefix: string;
    /** Sent as each refund's notify_url. */
    readonly notifyUrl: string;
    /** How often the refund job retries and re-queries refunds; 0 switches it off. */
    readonly jobIntervalMs: number;
    /** A refund still processing this long after acceptance is checked with refundquery. */
    readonly queryAfterMs: number;
    /** Reading a refund asks WeChat about it at most this often. */
    readonly queryThrottleMs: number;
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
    /** The HTTPS listener for /secapi (client certificates); 0: any free port. */
    readonly tlsPort: number;
}

export interface PayConfig {
    /** How long an unpaid order may be paid; sent to WeChat as time_expire. */
    readonly orderLifetimeMinutes: number;
    /** GET /orders/{id} asks WeChat about an unpaid order at most this often. */
    readonly orderQueryThrottleMs: number;
    /** How often the reconciler runs; 0 switches it off. */
    readonly reconcileIntervalMs: number;
    /** POST /orders is refused while the user holds this many unpaid, unexpired orders; 0: no cap. */
    readonly maxUnpaidPerUser: number;
}

export interface ReconciliationConfig {
    /**
     * The Beijing hour from which WeChat's bill of the day before is ready: the daily run asks
     * for it then, and no report of a day is made earlier.
     */
    readonly billReadyHour: number;
    /** Whether the daily run is on (RECONCILE_BILL_HOUR=0 switches it off; reports can still be asked for). */
    readonly daily: boolean;
    /** A bill larger than this (its text, and its download) is refused, with an alert: a day's is read as a stream, never held whole. */
    readonly billMaxBytes: number;
}

/** After the money: shipping uploads to WeChat and the receipt of goods. */
export interface ShippingConfig {
    /** Shipped orders whose receipt nobody confirmed complete on their own after this many days. */
    readonly autoReceiveDays: number;
    /** How often the auto-receive job runs; 0 switches it off. */
    readonly autoReceiveIntervalMs: number;
    /** How often pending shipment uploads are looked for; 0 switches the job off (a new shipment is still tried at once). */
    readonly uploadIntervalMs: number;
    /** The first retry of a failed upload waits this long, doubling up to an hour. */
    readonly uploadRetryMs: number;
}

/** A route's allowance per window; 0 means no limit. */
export interface RateBudget {
    readonly perUser: number;
    readonly perIp: number;
}

export interface RateLimitConfig {
    readonly windowSeconds: number;
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
}

export interface NotificationConfig {
    /** Bodies larger than this are refused (413) before anything reads them; WeChat's are under 2 KB. */
    readonly maxBytes: number;
    /** Deliveries whose signature did not verify are purged after this long… */
    readonly unverifiedRetentionHours: number;
    /** …and beyond this many, oldest first, so a flood of junk costs bounded disk. */
    readonly unverifiedMaxRows: number;
    /** How often the purge runs; 0 switches it off. */
    readonly purgeIntervalMs: number;
}

/** How long the API gives a client, a request and a statement before cutting it off. */
export interface HttpLimits {
    /** Node's headersTimeout: a client must have sent its request headers within this. */
    readonly headersTimeoutMs: number;
    /** Node's requestTimeout: the whole request, headers and body, within this. */
    readonly requestTimeoutMs: number;
    /** hapi's payload timeout: the body within this once it starts. */
    readonly payloadTimeoutMs: number;
    /** A connection with no request in progress is closed after this (keep-alive and silent sockets). */
    readonly idleTimeoutMs: number;
    /** hapi's server timeout for every route: 503 when the reply is not ready by then. */
    readonly routeTimeoutMs: number;
    /** The same for POST /orders/pay/notify, below WeChat's 5 s so WeChat hears FAIL and delivers again. */
    readonly notifyRouteTimeoutMs: number;
    /** Connections beyond this are refused at once. */
    readonly maxConnections: number;
}

/** What developers and operators see besides the API itself. */
export interface ObservabilityConfig {
    /** Swagger UI and /swagger.json. Default: on outside production. */
    readonly docsEnabled: boolean;
    /** The origin clients reach the API at, written into swagger.json (never taken from Host). */
    readonly publicUrl: { readonly scheme: 'http' | 'https'; readonly host: string };
    /** Bearer token for GET /metrics; without one, /metrics is open outside production and off in production. */
    readonly metricsToken?: string;
    /** pino-pretty lines instead of JSON (only when stdout is a terminal too). */
    readonly logPretty: boolean;
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
    readonly http: HttpLimits;
    readonly logLevel: LogLevel;
    readonly observability: ObservabilityConfig;
    readonly database: DatabaseLocation & {
        readonly autoMigrate: boolean;
        /** MySQL: every statement (and every lock wait) is cut off after this. SQLite waits for its lock up to its busy timeout. */
        readonly statementTimeoutMs: number;
        /** MySQL: how long a request waits for a pooled connection before 503. */
        readonly poolAcquireTimeoutMs: number;
    };
    readonly jwt: { readonly secret: string; readonly expiresIn: string };
    readonly wechat: WechatConfig;
    readonly pay: PayConfig;
    readonly reconciliation: ReconciliationConfig;
    readonly shipping: ShippingConfig;
    readonly refunds: RefundConfig;
    readonly notifications: NotificationConfig;
    readonly rateLimit: RateLimitConfig;
    readonly simulator: SimulatorConfig;
    /** POST /users/createJWT, the tutorial's test token. Never in production. */
    readonly devLogin: boolean;
    /**
     * The merchant API under /admin, behind `Authorization: Bearer <apiKey>`; undefined (the routes
     * do not exist) when ADMIN_API_KEY is unset, except in development with the example merchant.
     */
    readonly admin: { readonly apiKey: string } | undefined;
    /** Read-mostly data (shops, goods, a token's user) kept per instance: at most this old, at most this many per cache. */
    readonly cache: { readonly ttlMs: number; readonly maxEntries: number };
}

/** How long WeChat Pay waits for the answer to a notification before counting it as failed. */
const WECHAT_NOTIFY_WAIT_MS = 5000;

/** WeChat has a day's bill ready by 10:00 Beijing time the next day. */
const DEFAULT_BILL_READY_HOUR = 10;

/** About 790,000 rows of ~340 bytes (a 39-character goods name): room for a very busy shop's day. */
const DEFAULT_BILL_MAX_BYTES = 256 * 1024 * 1024;

const boolean = () => Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off', '');
/** Requests per window (or orders held); 0 means no limit. */
const limit = (fallback: number) => Joi.number().integer().min(0).max(1_000_000).default(fallback);

const schema = Joi.object({
    NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
    HOST: Joi.string().hostname().default('127.0.0.1'),
    PORT: Joi.number().integer().min(0).max(65535).default(3000),
    LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
    TRUSTED_PROXIES: Joi.string().allow('').default(''),
    SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10_000),
    HTTP_HEADERS_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: Joi.number().integer().min(Joi.ref('HTTP_HEADERS_TIMEOUT_MS')).default(30_000),
    HTTP_PAYLOAD_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
    HTTP_IDLE_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
    HTTP_MAX_CONNECTIONS: Joi.number().integer().min(1).default(1000),
    NOTIFY_ROUTE_TIMEOUT_MS: Joi.number().integer().min(500).max(WECHAT_NOTIFY_WAIT_MS - 500).default(4000),
    // A route that calls WeChat must outlast WeChat's timeout, or the caller gets 503 instead of 504.
    ROUTE_TIMEOUT_MS: Joi.number().integer().greater(Joi.ref('WX_HTTP_TIMEOUT_MS')).default(15_000),
    DB_AUTO_MIGRATE: boolean(),
    // Both below the notify route's deadline: a stuck database answers FAIL before WeChat gives up.
    // A request queued for a connection outlasts one round of statement timeouts by default.
    DB_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(100).less(Joi.ref('NOTIFY_ROUTE_TIMEOUT_MS')).default(2000),
    DB_POOL_ACQUIRE_TIMEOUT_MS: Joi.number().integer().min(100).less(Joi.ref('NOTIFY_ROUTE_TIMEOUT_MS')).default(3000),
    JWT_SECRET: Joi.string().min(32),
    ADMIN_API_KEY: Joi.string().min(32).max(256),
    JWT_EXPIRES_IN: Joi.string().pattern(/^\d+(s|m|h|d)$/).message('"JWT_EXPIRES_IN" must be a number with a unit: s, m, h or d (e.g. 7d)').default('7d'),
    WX_APPID: Joi.string().pattern(/^wx[0-9a-z]{16}$/i),
    WX_SECRET: Joi.string().min(16),
    WX_MCHID: Joi.string().pattern(/^\d{6,32}$/),
    WX_PAY_API_KEY: Joi.string().length(32),
    WX_API_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    WX_PAY_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    WX_PAY_NOTIFY_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    WX_PAY_SIGN_TYPE: Joi.string().valid(...SIGN_TYPES).default('MD5'),
    WX_PAY_CERT_P12: Joi.string(),
    WX_PAY_CERT_PASSPHRASE: Joi.string(),
    WX_PAY_CERT_PEM: Joi.string(),
    WX_PAY_KEY_PEM: Joi.string(),
    WX_PAY_REFUND_NOTIFY_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    // out_refund_no is at most 64 characters; the prefix leaves 32 for the refund's own number.
    WX_REFUND_NO_PREFIX: Joi.string().pattern(/^[A-Za-z0-9_-]{1,16}$/).default('RF'),
    REFUND_JOB_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
    REFUND_QUERY_AFTER_MS: Joi.number().integer().min(0).default(5 * 60_000),
    REFUND_QUERY_THROTTLE_MS: Joi.number().integer().min(0).default(5000),
    WX_HTTP_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).default(5000),
    ORDER_LIFETIME_MINUTES: Joi.number().integer().min(5).max(7 * 24 * 60).default(30),
    ORDER_QUERY_THROTTLE_MS: Joi.number().integer().min(0).default(5000),
    RECONCILE_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
    RECONCILE_BILL_HOUR: Joi.number().integer().min(0).max(23).default(DEFAULT_BILL_READY_HOUR),
    RECONCILE_BILL_MAX_BYTES: Joi.number().integer().min(64 * 1024).max(4 * 1024 ** 3).default(DEFAULT_BILL_MAX_BYTES),
    NOTIFY_MAX_BYTES: Joi.number().integer().min(2048).max(1024 * 1024).default(16 * 1024),
    NOTIFY_UNVERIFIED_RETENTION_HOURS: Joi.number().integer().min(1).default(7 * 24),
    NOTIFY_UNVERIFIED_MAX_ROWS: Joi.number().integer().min(100).default(100_000),
    NOTIFY_PURGE_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
    ORDER_MAX_UNPAID_PER_USER: limit(10),
    ORDER_AUTO_RECEIVE_DAYS: Joi.number().integer().min(1).max(90).default(7),
    AUTO_RECEIVE_INTERVAL_MS: Joi.number().integer().min(0).default(600_000),
    SHIPPING_UPLOAD_INTERVAL_MS: Joi.number().integer().min(0).default(5000),
    SHIPPING_UPLOAD_RETRY_MS: Joi.number().integer().min(10).max(3_600_000).default(5000),
    REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
    REDIS_KEY_PREFIX: Joi.string().pattern(/^[A-Za-z0-9:._-]{1,64}$/).default('wxshop:rate:'),
    REDIS_TIMEOUT_MS: Joi.number().integer().min(10).max(5000).default(250),
    RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
    RATE_LIMIT_LOGIN_PER_IP: limit(60),
    RATE_LIMIT_ORDERS_PER_USER: limit(10),
    RATE_LIMIT_ORDERS_PER_IP: limit(60),
    RATE_LIMIT_PAY_PER_USER: limit(20),
    RATE_LIMIT_PAY_PER_IP: limit(120),
    ORDER_QUERY_PER_USER: limit(30),
    CACHE_TTL_MS: Joi.number().integer().min(0).max(3_600_000).default(10_000),
    CACHE_MAX_ENTRIES: Joi.number().integer().min(1).max(1_000_000).default(10_000),
    WECHAT_SIMULATOR: boolean(),
    DEV_LOGIN: boolean(),
    SIMULATOR_PORT: Joi.number().integer().min(0).max(65535).default(3100),
    SIMULATOR_TIME_SCALE: Joi.number().positive().max(1).default(1),
    SIMULATOR_NOTIFY_DUPLICATES: Joi.number().integer().min(1).max(20).default(1),
    SIMULATOR_NOTIFY_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
    SIMULATOR_TLS_PORT: Joi.number().integer().min(0).max(65535).default(3443),
    DOCS_ENABLED: boolean(),
    PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }).pattern(/^https?:\/\/[^/?#]+\/?$/)
        .message('"PUBLIC_URL" must be an origin such as https://shop.example.com (no path)'),
    METRICS_TOKEN: Joi.string().min(16),
    LOG_PRETTY: boolean(),
    // CI systems set CI to all sorts of values ("true", "1", a name); only an explicit no means no.
    CI: Joi.string().allow('').default(''),
});

export interface LoadOptions {
    /**
     * 'simulator' for the standalone WeChat simulator (npm run simulator): it plays WeChat, so it
     * legitimately holds the merchant's key, and the rule against dev conveniences beside a real
     * merchant does not apply to it. Default 'api'.
     */
    readonly process?: 'api' | 'simulator';
}

/**
 * Validates the environment once. Throws an Error whose one-line message names the
 * offending variable; the entry point prints it and exits non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadOptions = {}): AppConfig {
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
    if (options.process !== 'simulator') {
        assertNoDevConvenienceBesideRealMerchant(value, simulatorEnabled, devLogin);
    }

    const loopbackHost = value.HOST === '0.0.0.0' || value.HOST === '::' ? '127.0.0.1' : value.HOST;
    const selfUrl = `http://${loopbackHost.includes(':') ? `[${loopbackHost}]` : loopbackHost}:${value.PORT}`;
    const simulatorUrl = `${selfUrl}/__wechat`;
    const merchant = merchantFrom(value);

    let database: AppConfig['database'];
    try {
        database = {
            ...databaseFromEnv(env),
            autoMigrate: value.DB_AUTO_MIGRATE ?? !isProduction,
            statementTimeoutMs: value.DB_STATEMENT_TIMEOUT_MS,
            poolAcquireTimeoutMs: value.DB_POOL_ACQUIRE_TIMEOUT_MS,
        };
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
        http: {
            headersTimeoutMs: value.HTTP_HEADERS_TIMEOUT_MS,
            requestTimeoutMs: value.HTTP_REQUEST_TIMEOUT_MS,
            payloadTimeoutMs: value.HTTP_PAYLOAD_TIMEOUT_MS,
            idleTimeoutMs: value.HTTP_IDLE_TIMEOUT_MS,
            routeTimeoutMs: value.ROUTE_TIMEOUT_MS,
            notifyRouteTimeoutMs: value.NOTIFY_ROUTE_TIMEOUT_MS,
            maxConnections: value.HTTP_MAX_CONNECTIONS,
        },
        logLevel: value.LOG_LEVEL,
        observability: {
            docsEnabled: value.DOCS_ENABLED ?? !isProduction,
            publicUrl: originOf(value.PUBLIC_URL ?? (value.WX_PAY_NOTIFY_URL ? new URL(value.WX_PAY_NOTIFY_URL).origin : selfUrl)),
            metricsToken: value.METRICS_TOKEN,
            logPretty: value.LOG_PRETTY ?? (value.NODE_ENV === 'development' && ['', '0', 'false', 'no', 'off'].includes(value.CI.toLowerCase())),
        },
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
        refunds: {
            certificate: certificateFrom(value, simulatorEnabled),
            outRefundNoPrefix: value.WX_REFUND_NO_PREFIX,
            // Beside the payment notification's public origin when that is set: WeChat must reach both.
            notifyUrl: value.WX_PAY_REFUND_NOTIFY_URL ?? `${value.WX_PAY_NOTIFY_URL ? new URL(value.WX_PAY_NOTIFY_URL).origin : selfUrl}/orders/refund/notify`,
            jobIntervalMs: value.REFUND_JOB_INTERVAL_MS,
            queryAfterMs: value.REFUND_QUERY_AFTER_MS,
            queryThrottleMs: value.REFUND_QUERY_THROTTLE_MS,
        },
        pay: {
            orderLifetimeMinutes: value.ORDER_LIFETIME_MINUTES,
            orderQueryThrottleMs: value.ORDER_QUERY_THROTTLE_MS,
            reconcileIntervalMs: value.RECONCILE_INTERVAL_MS,
            maxUnpaidPerUser: value.ORDER_MAX_UNPAID_PER_USER,
        },
        reconciliation: {
            billReadyHour: value.RECONCILE_BILL_HOUR || DEFAULT_BILL_READY_HOUR,
            daily: value.RECONCILE_BILL_HOUR > 0,
            billMaxBytes: value.RECONCILE_BILL_MAX_BYTES,
        },
        shipping: {
            autoReceiveDays: value.ORDER_AUTO_RECEIVE_DAYS,
            autoReceiveIntervalMs: value.AUTO_RECEIVE_INTERVAL_MS,
            uploadIntervalMs: value.SHIPPING_UPLOAD_INTERVAL_MS,
            uploadRetryMs: value.SHIPPING_UPLOAD_RETRY_MS,
        },
        rateLimit: {
            windowSeconds: value.RATE_LIMIT_WINDOW_SECONDS,
            redis: value.REDIS_URL === undefined ? undefined : {
                url: value.REDIS_URL,
                keyPrefix: value.REDIS_KEY_PREFIX,
                timeoutMs: value.REDIS_TIMEOUT_MS,
            },
            // A sign-in has no user yet: only its address is counted.
            login: { perUser: 0, perIp: value.RATE_LIMIT_LOGIN_PER_IP },
            orders: { perUser: value.RATE_LIMIT_ORDERS_PER_USER, perIp: value.RATE_LIMIT_ORDERS_PER_IP },
            pay: { perUser: value.RATE_LIMIT_PAY_PER_USER, perIp: value.RATE_LIMIT_PAY_PER_IP },
            // Only a user's own orders are read, so the user is the one to count.
            orderQuery: { perUser: value.ORDER_QUERY_PER_USER, perIp: 0 },
        },
        notifications: {
            maxBytes: value.NOTIFY_MAX_BYTES,
            unverifiedRetentionHours: value.NOTIFY_UNVERIFIED_RETENTION_HOURS,
            unverifiedMaxRows: value.NOTIFY_UNVERIFIED_MAX_ROWS,
            purgeIntervalMs: value.NOTIFY_PURGE_INTERVAL_MS,
        },
        simulator: {
            enabled: simulatorEnabled,
            port: value.SIMULATOR_PORT,
            timeScale: value.SIMULATOR_TIME_SCALE,
            notifyDuplicates: value.SIMULATOR_NOTIFY_DUPLICATES,
            notifyTimeoutMs: value.SIMULATOR_NOTIFY_TIMEOUT_MS,
            tlsPort: value.SIMULATOR_TLS_PORT,
        },
        devLogin,
        admin: adminFrom(value, isProduction),
        cache: { ttlMs: value.CACHE_TTL_MS, maxEntries: value.CACHE_MAX_ENTRIES },
    });
}

function originOf(url: string): ObservabilityConfig['publicUrl'] {
    const { protocol, host } = new URL(url);
    return { scheme: protocol === 'https:' ? 'https' : 'http', host };
}

function merchantFrom(value: Record<string, string | undefined>): WechatMerchant {
    return {
        appId: value.WX_APPID ?? EXAMPLE_MERCHANT.appId,
        appSecret: value.WX_SECRET ?? EXAMPLE_MERCHANT.appSecret,
        mchId: value.WX_MCHID ?? EXAMPLE_MERCHANT.mchId,
        apiKey: value.WX_PAY_API_KEY ?? EXAMPLE_MERCHANT.apiKey,
    };
}

/**
 * Where the merchant certificate comes from: a p12 or a PEM pair (never both); with neither,
 * the in-process simulator's development certificate.
 */
function certificateFrom(value: Record<string, string | undefined>, simulatorEnabled: boolean): RefundConfig['certificate'] {
    const { WX_PAY_CERT_P12: p12Path, WX_PAY_CERT_PASSPHRASE: passphrase, WX_PAY_CERT_PEM: certPemPath, WX_PAY_KEY_PEM: keyPemPath } = value;
    if (p12Path !== undefined && (certPemPath !== undefined || keyPemPath !== undefined)) {
        throw new Error('Invalid configuration: set WX_PAY_CERT_P12 or WX_PAY_CERT_PEM + WX_PAY_KEY_PEM, not both');
    }
    if ((certPemPath === undefined) !== (keyPemPath === undefined)) {
        throw new Error(`Invalid configuration: ${certPemPath === undefined ? 'WX_PAY_CERT_PEM' : 'WX_PAY_KEY_PEM'} is required with ${certPemPath === undefined ? 'WX_PAY_KEY_PEM' : 'WX_PAY_CERT_PEM'}`);
    }
    if (p12Path !== undefined) {
        return { p12Path, passphrase };
    }
    if (certPemPath !== undefined && keyPemPath !== undefined) {
        return { certPemPath, keyPemPath };
    }
    return simulatorEnabled ? 'development' : undefined;
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
    if (!variedEnough(value.JWT_SECRET as string)) {
        refuse(`JWT_SECRET must have at least ${MIN_DISTINCT_CHARACTERS} distinct characters (use a random value)`);
    }
    for (const name of ['WX_APPID', 'WX_SECRET', 'WX_MCHID', 'WX_PAY_API_KEY', 'WX_PAY_NOTIFY_URL']) {
        if (value[name] === undefined) {
            refuse(`${name} is required`);
        }
    }
    if (value.WX_PAY_API_KEY === EXAMPLE_MERCHANT.apiKey || value.WX_SECRET === EXAMPLE_MERCHANT.appSecret) {
        refuse('WX_PAY_API_KEY and WX_SECRET must not be the example values');
    }
    if (value.WX_APPID === EXAMPLE_MERCHANT.appId || value.WX_MCHID === EXAMPLE_MERCHANT.mchId) {
        refuse("WX_APPID and WX_MCHID must not be WeChat's example merchant");
    }
    if (!variedEnough(value.WX_PAY_API_KEY as string)) {
        refuse(`WX_PAY_API_KEY must have at least ${MIN_DISTINCT_CHARACTERS} distinct characters (use the key set in WeChat Pay's merchant platform)`);
    }
    if (value.JWT_SECRET === value.WX_PAY_API_KEY) {
        refuse('JWT_SECRET must not be the WeChat Pay API key');
    }
    if (value.ADMIN_API_KEY !== undefined) {
        if (value.ADMIN_API_KEY === DEV_ADMIN_API_KEY || !variedEnough(value.ADMIN_API_KEY as string)) {
            refuse(`ADMIN_API_KEY must be a random value of at least 32 characters (${MIN_DISTINCT_CHARACTERS} distinct), not the development one`);
        }
        if (value.ADMIN_API_KEY === value.JWT_SECRET || value.ADMIN_API_KEY === value.WX_PAY_API_KEY) {
            refuse('ADMIN_API_KEY must not be the JWT secret or the WeChat Pay API key');
        }
    }
    for (const name of ['WX_API_BASE_URL', 'WX_PAY_BASE_URL', 'WX_PAY_NOTIFY_URL', 'WX_PAY_REFUND_NOTIFY_URL']) {
        const url = value[name];
        if (typeof url === 'string' && !isHttpsOrLoopback(url)) {
            refuse(`${name} must be https:// (http:// only to a loopback host)`);
        }
    }
    if (simulatorEnabled) {
        refuse('WECHAT_SIMULATOR cannot be on');
    }
    if (devLogin) {
        refuse('DEV_LOGIN cannot be on');
    }
}

/**
 * Development conveniences never run beside a real merchant, whatever NODE_ENV says: the
 * in-process simulator would sign "payments" with the real key, the dev login would mint
 * tokens for anyone, and the default JWT secret is in the source.
 */
function assertNoDevConvenienceBesideRealMerchant(value: Record<string, unknown>, simulatorEnabled: boolean, devLogin: boolean): void {
    const realSecret = value.WX_PAY_API_KEY !== undefined && value.WX_PAY_API_KEY !== EXAMPLE_MERCHANT.apiKey ? 'WX_PAY_API_KEY'
        : value.WX_SECRET !== undefined && value.WX_SECRET !== EXAMPLE_MERCHANT.appSecret ? 'WX_SECRET'
            : undefined;
    if (realSecret === undefined) {
        return;
    }
    const convenience = simulatorEnabled ? 'the in-process WeChat simulator (set WECHAT_SIMULATOR=false)'
        : devLogin ? 'the dev login (set DEV_LOGIN=false)'
            : value.JWT_SECRET === undefined || value.JWT_SECRET === EXAMPLE_JWT_SECRET ? 'the default JWT secret (set JWT_SECRET to a random value)'
                : undefined;
    if (convenience !== undefined) {
        throw new Error(`Invalid configuration: ${realSecret} is not the example merchant's, so ${convenience} cannot be used`);
    }
}

/**
 * The merchant API's key: ADMIN_API_KEY when set; the documented development key only in
 * development beside the example merchant (a real merchant's shop gets no default key, so
 * its merchant API is off until one is set).
 */
function adminFrom(value: Record<string, unknown>, isProduction: boolean): AppConfig['admin'] {
    if (typeof value.ADMIN_API_KEY === 'string') {
        return { apiKey: value.ADMIN_API_KEY };
    }
    const exampleMerchant = (value.WX_PAY_API_KEY ?? EXAMPLE_MERCHANT.apiKey) === EXAMPLE_MERCHANT.apiKey
        && (value.WX_SECRET ?? EXAMPLE_MERCHANT.appSecret) === EXAMPLE_MERCHANT.appSecret;
    return !isProduction && exampleMerchant ? { apiKey: DEV_ADMIN_API_KEY } : undefined;
}

/** A secret of one repeated character, or a few, is guessable whatever its length. */
const MIN_DISTINCT_CHARACTERS = 10;

function variedEnough(secret: string): boolean {
    return new Set(secret).size >= MIN_DISTINCT_CHARACTERS;
}

/** Plain http only to this machine: the benchmark runs production against a local simulator. */
function isHttpsOrLoopback(url: string): boolean {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function deepFreeze<T>(object: T): T {
    for (const value of Object.values(object as object)) {
        if (typeof value === 'object' && value !== null) {
            deepFreeze(value);
        }
    }
    return Object.freeze(object);
}
