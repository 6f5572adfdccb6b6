import http from 'node:http';

import Hapi, { type RouteOptions, type Server } from '@hapi/hapi';
import type { Logger } from 'pino';

import type { AppConfig } from './config';
import { createSequelize } from './db/sequelize';
import { createLogger } from './logger';
import { initModels, type Models } from './models';
import { authPlugin } from './plugins/auth';
import { databasePlugin } from './plugins/database';
import { errorsPlugin, validationFailAction } from './plugins/errors';
import { loggingPlugin } from './plugins/logging';
import { jobsPlugin } from './plugins/jobs';
import { swaggerPlugin } from './plugins/swagger';
import { routesPlugin } from './routes';
import { createServices, type Services } from './services';
import { simulatorPlugin } from './simulator/plugin';
import { createWechatHttpClient } from './wechat/http';

declare module '@hapi/hapi' {
    interface ServerApplicationState {
        config: AppConfig;
        models: Models;
        services: Services;
    }
}

/** Bodies the API accepts (the notify route sets its own, smaller limit). */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/** hapi's security headers on every reply; browsers ignore HSTS over plain http, so it is harmless in development. */
const SECURITY_HEADERS: RouteOptions['security'] = {
    hsts: { maxAge: 180 * 24 * 60 * 60, includeSubDomains: true },
    xframe: 'deny',
    noSniff: true,
    noOpen: true,
    referrer: 'no-referrer',
    xss: 'disabled',
};

/** How often node looks for requests past their headers or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Node's HTTP server with the client-facing limits: a client that sends its headers or its body
 * slowly, or holds a connection open saying nothing, is cut off within seconds, and
 * connections beyond the cap are refused instead of exhausting the process.
 */
function createListener(limits: AppConfig['http']): http.Server {
    const listener = http.createServer({
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.idleTimeoutMs,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    });
    // A socket that has not said anything yet, or says nothing between requests.
    listener.setTimeout(limits.idleTimeoutMs);
    listener.maxConnections = limits.maxConnections;
    return listener;
}

/** Route defaults that bound every request: its reply, its body, the socket while it runs. */
function routeLimits(limits: AppConfig['http']): Pick<RouteOptions, 'timeout' | 'payload'> {
    return {
        timeout: {
            server: limits.routeTimeoutMs,
            // While a request runs its socket may be silent (we are waiting on WeChat or the
            // database): the idle limit does not apply until the reply is out.
            socket: Math.max(limits.routeTimeoutMs, limits.payloadTimeoutMs) + 1000,
        },
        payload: { maxBytes: MAX_PAYLOAD_BYTES, timeout: limits.payloadTimeoutMs },
    };
}

export interface ServerOptions {
    /** Defaults to a pino logger on stdout at config.logLevel. */
    readonly logger?: Logger;
}

/**
 * Composes the app into a hapi server and initialises it (migrations run when configured)
 * without listening: tests inject into it, src/index.ts starts it.
 */
export async function createServer(config: AppConfig, options: ServerOptions = {}): Promise<Server> {
    const logger = options.logger ?? createLogger(config);
    const server = Hapi.server({
        host: config.server.host,
        port: config.server.port,
        listener: createListener(config.http),
        debug: false,
        router: { stripTrailingSlash: true },
        routes: {
            validate: { failAction: validationFailAction },
            // In development and tests a reply that breaks its documented schema fails loudly;
            // production logs it instead of failing the caller.
            response: { failAction: config.env === 'production' ? 'log' : 'error' },
            ...routeLimits(config.http),
            security: SECURITY_HEADERS,
        },
    });

    const models = initModels(createSequelize(config.database));
    const services = createServices({ config, models, http: createWechatHttpClient(config.wechat.httpTimeoutMs), logger });
    server.app.config = config;
    server.app.models = models;
    server.app.services = services;

    await server.register([
        { plugin: loggingPlugin, options: { logger } },
        { plugin: errorsPlugin },
        { plugin: databasePlugin, options: { models, database: config.database } },
        { plugin: authPlugin, options: { tokens: services.tokens, users: services.users } },
        { plugin: swaggerPlugin },
        { plugin: routesPlugin, options: { devLogin: config.devLogin, notifyMaxBytes: config.notifications.maxBytes, notifyRouteTimeoutMs: config.http.notifyRouteTimeoutMs } },
        { plugin: jobsPlugin, options: { jobs: [services.reconciler, services.notificationRetention] } },
    ]);
    if (config.simulator.enabled) {
        const { timeScale, notifyDuplicates, notifyTimeoutMs } = config.simulator;
        await server.register(
            { plugin: simulatorPlugin, options: { merchant: config.wechat, timeScale, notifyDuplicates, notifyTimeoutMs } },
            { routes: { prefix: '/__wechat' } },
        );
    }

    await server.initialize();
    return server;
}
