import { randomBytes, randomInt } from 'node:crypto';

import type { WechatMerchant } from '../src/config';

// The environments of the processes the bench starts. The app's settings live in ONE object
// (appEnv) so a new setting for the bench is one line.

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A merchant made up for this run: production refuses WeChat's example one. */
export function randomMerchant(): WechatMerchant {
    return {
        appId: `wx${hex(8)}`,
        appSecret: hex(16),
        mchId: String(randomInt(1_000_000_000, 9_999_999_999)),
        apiKey: hex(16),
    };
}

const merchantEnv = (merchant: WechatMerchant) => ({
    WX_APPID: merchant.appId,
    WX_SECRET: merchant.appSecret,
    WX_MCHID: merchant.mchId,
    WX_PAY_API_KEY: merchant.apiKey,
});

export interface AppEnvOptions {
    readonly port: number;
    readonly databaseUrl: string;
    readonly merchant: WechatMerchant;
    readonly wechatUrl: string;
    /** The merchant API's key (the big-bill bench asks /admin/reconciliations for a report). */
    readonly adminKey: string;
    /** GET /metrics's bearer token (the big-bill bench reads the event loop's lag there). */
    readonly metricsToken: string;
}

/** A key or token production takes: random, 64 characters. */
export const randomSecret = () => hex(32);

/** The app as production runs it, with WeChat at the standalone simulator. */
export function appEnv({ port, databaseUrl, merchant, wechatUrl, adminKey, metricsToken }: AppEnvOptions): Record<string, string> {
    return {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        // A fresh database each run: production does not migrate unless told to.
        DB_AUTO_MIGRATE: 'true',
        JWT_SECRET: hex(32),
        STAFF_SESSION_SECRET: hex(32),
        ...merchantEnv(merchant),
        WX_API_BASE_URL: wechatUrl,
        WX_PAY_BASE_URL: wechatUrl,
        WX_PAY_NOTIFY_URL: `http://127.0.0.1:${port}/orders/pay/notify`,
        WECHAT_SIMULATOR: 'false',
        DEV_LOGIN: 'false',
        ADMIN_API_KEY: adminKey,
        METRICS_TOKEN: metricsToken,
        // Background work would blur the per-route figures; the reconciler and the daily
        // reconciliation have suites of their own (and the big-bill bench asks for its report).
        RECONCILE_INTERVAL_MS: '0',
        RECONCILE_BILL_HOUR: '0',
        // The bench is thousands of requests from a handful of users on one address: no limits.
        RATE_LIMIT_LOGIN_PER_IP: '0',
        RATE_LIMIT_ORDERS_PER_USER: '0',
        RATE_LIMIT_ORDERS_PER_IP: '0',
        RATE_LIMIT_PAY_PER_USER: '0',
        RATE_LIMIT_PAY_PER_IP: '0',
        ORDER_QUERY_PER_USER: '0',
        ORDER_MAX_UNPAID_PER_USER: '0',
    };
}

/** The standalone simulator (it refuses NODE_ENV=production) as the app's WeChat, same merchant. */
export function simulatorEnv(port: number, merchant: WechatMerchant): Record<string, string> {
    return {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        SIMULATOR_PORT: String(port),
        // Any free port for /secapi (the bench makes no refunds): never a running dev server's 3443.
        SIMULATOR_TLS_PORT: '0',
        ...merchantEnv(merchant),
    };
}
