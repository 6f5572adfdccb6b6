import Joi from 'joi';

import { admin, type AdminConfig } from './admin';
import { cache, type CacheConfig } from './cache';
import { database, type DatabaseConfig } from './database';
import { devLogin, devLoginEnabled } from './dev-login';
import { http, type HttpLimits } from './http';
import { jwt, type JwtConfig } from './jwt';
import { notifications, type NotificationConfig } from './notifications';
import { logLevel, observability, type LogLevel, type ObservabilityConfig } from './observability';
import { pay, type PayConfig } from './pay';
import { rateLimit, type RateLimitConfig } from './rate-limit';
import { reconciliation, type ReconciliationConfig } from './reconciliation';
import { refunds, type RefundConfig } from './refunds';
import { selfUrlOf, server, type ServerConfig } from './server';
import type { ConfigContext, ConfigSection, Problem, Settings } from './settings';
import { shipping, type ShippingConfig } from './shipping';
import { simulator, simulatorEnabled, type SimulatorConfig } from './simulator';
import { staff, type StaffConfig } from './staff';
import { wechat, type WechatConfig } from './wechat';

// The only module that reads the environment: each section (a file beside this one) declares its
// variables, its rules and its typed part; everything else receives the typed, frozen AppConfig.

export { DEV_ADMIN_API_KEY } from './admin';
export { EXAMPLE_JWT_SECRET } from './jwt';
export { DEV_STAFF_SESSION_SECRET, EXAMPLE_STAFF_SESSION_SECRET } from './staff';
export { EXAMPLE_MERCHANT } from './wechat';
export type { AdminConfig, CacheConfig, DatabaseConfig, HttpLimits, JwtConfig, LogLevel, NotificationConfig, ObservabilityConfig, PayConfig, RateLimitConfig, ReconciliationConfig, RefundConfig, ServerConfig, ShippingConfig, SimulatorConfig, StaffConfig, WechatConfig };
export type { RateBudget } from './rate-limit';
export type { WechatMerchant } from './wechat';

export type NodeEnv = 'development' | 'test' | 'production';

export interface AppConfig {
    readonly env: NodeEnv;
    readonly server: ServerConfig;
    readonly http: HttpLimits;
    readonly logLevel: LogLevel;
    readonly observability: ObservabilityConfig;
    readonly database: DatabaseConfig;
    readonly jwt: JwtConfig;
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
    readonly admin: AdminConfig;
    readonly cache: CacheConfig;
    /** Staff accounts and their console sessions. */
    readonly staff: StaffConfig;
}

/** Every section, by the AppConfig field it fills. */
const SECTIONS = {
    server, http, logLevel, observability, database, jwt, wechat, pay, reconciliation, shipping, refunds, notifications, rateLimit, simulator, devLogin, admin, cache, staff,
} satisfies { [Field in Exclude<keyof AppConfig, 'env'>]: ConfigSection<AppConfig[Field]> };

const schema = Joi.object(Object.assign(
    { NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development') },
    ...Object.values(SECTIONS).map((section) => section.keys),
));

export interface LoadOptions {
    /**
     * 'simulator' for the standalone WeChat simulator (npm run simulator): it plays WeChat, so it
     * legitimately holds the merchant's key, and the rule against dev conveniences beside a real
     * merchant does not apply to it. Default 'api'.
     */
    readonly process?: 'api' | 'simulator';
}

/**
 * Validates the environment once. Every problem is reported at once (a start with five missing
 * production settings names all five): an Error whose message is one line per problem, each
 * naming its variable; the entry point prints it and exits non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadOptions = {}): AppConfig {
    const { error, value: settings } = schema.validate(env, { allowUnknown: true, abortEarly: false, convert: true }) as { error?: Joi.ValidationError; value: Settings };
    const invalid: Problem[] = (error?.details ?? []).map((detail) => ({ variables: [String(detail.context?.key ?? detail.path.join('.'))], message: detail.message }));
    const context = contextOf(settings, options);
    const named = new Set(invalid.flatMap((one) => one.variables));
    // A rule about a variable its schema already refused would only repeat the news.
    const broken = Object.values(SECTIONS)
        .flatMap((section) => section.problems?.(settings, context) ?? [])
        .filter((one) => !one.variables.some((variable) => named.has(variable)));
    const problems = [...invalid, ...broken];
    if (problems.length > 0) {
        throw new Error(problems.length === 1
            ? `Invalid configuration: ${problems[0]!.message}`
            : `Invalid configuration, ${problems.length} problems:\n${problems.map((one) => `  - ${one.message}`).join('\n')}`);
    }
    const sections = Object.fromEntries(Object.entries(SECTIONS).map(([field, section]) => [field, section.read(settings, context)]));
    return deepFreeze({ env: settings.NODE_ENV, ...sections } as AppConfig);
}

function contextOf(settings: Settings, options: LoadOptions): ConfigContext {
    const isProduction = settings.NODE_ENV === 'production';
    return {
        isProduction,
        simulatorEnabled: simulatorEnabled(settings, isProduction),
        devLogin: devLoginEnabled(settings, isProduction),
        selfUrl: selfUrlOf(settings as { HOST: string; PORT: number }),
        process: options.process ?? 'api',
    };
}

function deepFreeze<T>(object: T): T {
    for (const value of Object.values(object as object)) {
        if (typeof value === 'object' && value !== null) {
            deepFreeze(value);
        }
    }
    return Object.freeze(object);
}
