import Joi from 'joi';

import { boolean, originOfSetting, type ConfigSection } from './settings';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

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

export const logLevel: ConfigSection<LogLevel> = {
    keys: {
        LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
    },
    read: (settings) => settings.LOG_LEVEL,
};

export const observability: ConfigSection<ObservabilityConfig> = {
    keys: {
        DOCS_ENABLED: boolean(),
        PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }).pattern(/^https?:\/\/[^/?#]+\/?$/)
            .message('"PUBLIC_URL" must be an origin such as https://shop.example.com (no path)'),
        METRICS_TOKEN: Joi.string().min(16),
        LOG_PRETTY: boolean(),
        // CI systems set CI to all sorts of values ("true", "1", a name); only an explicit no means no.
        CI: Joi.string().allow('').default(''),
    },
    read: (settings, { isProduction, selfUrl }) => ({
        docsEnabled: settings.DOCS_ENABLED ?? !isProduction,
        publicUrl: originOf(settings.PUBLIC_URL ?? originOfSetting(settings.WX_PAY_NOTIFY_URL) ?? selfUrl),
        metricsToken: settings.METRICS_TOKEN,
        logPretty: settings.LOG_PRETTY ?? (settings.NODE_ENV === 'development' && ['', '0', 'false', 'no', 'off'].includes((settings.CI as string).toLowerCase())),
    }),
};

function originOf(url: string): ObservabilityConfig['publicUrl'] {
    const { protocol, host } = new URL(url);
    return { scheme: protocol === 'https:' ? 'https' : 'http', host };
}
