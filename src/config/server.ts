import Joi from 'joi';

import type { ConfigSection } from './settings';

export interface ServerConfig {
    readonly host: string;
    readonly port: number;
    /** Addresses whose X-Forwarded-For is believed. */
    readonly trustedProxies: readonly string[];
    readonly shutdownTimeoutMs: number;
}

export const server: ConfigSection<ServerConfig> = {
    keys: {
        HOST: Joi.string().hostname().default('127.0.0.1'),
        PORT: Joi.number().integer().min(0).max(65535).default(3000),
        TRUSTED_PROXIES: Joi.string().allow('').default(''),
        SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10_000),
    },
    read: (settings) => ({
        host: settings.HOST,
        port: settings.PORT,
        trustedProxies: (settings.TRUSTED_PROXIES as string).split(',').map((proxy) => proxy.trim()).filter(Boolean),
        shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
    }),
};

/** This server as the machine itself reaches it (a wildcard host is reached on loopback). */
export function selfUrlOf(settings: { HOST: string; PORT: number }): string {
    const host = settings.HOST === '0.0.0.0' || settings.HOST === '::' ? '127.0.0.1' : settings.HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${settings.PORT}`;
}
