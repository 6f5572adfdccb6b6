import Hapi, { type Server } from '@hapi/hapi';
import type { Logger } from 'pino';

import type { AppConfig } from './config';
import { createSequelize } from './db/sequelize';
import { createListener, routeLimits, SECURITY_HEADERS } from './http-limits';
import { createLogger } from './logger';
import { initModels, type Models } from './models';
import { adminAuthPlugin } from './plugins/admin-auth';
import { auditPlugin } from './plugins/audit';
import { authPlugin } from './plugins/auth';
import { databasePlugin } from './plugins/database';
import { errorsPlugin, validationFailAction } from './plugins/errors';
import { loggingPlugin } from './plugins/logging';
import { jobsPlugin } from './plugins/jobs';
import { metricsPlugin } from './plugins/metrics';
import { rateLimitPlugin } from './plugins/rate-limit';
import { servicesPlugin } from './plugins/services';
import { staffAuthPlugin } from './plugins/staff-auth';
import { stopGatePlugin } from './plugins/stop-gate';
import { swaggerPlugin } from './plugins/swagger';
import { routesPlugin } from './routes';
import { setUpSecapi } from './secapi-setup';
import { createServices } from './services';
import { Metrics } from './services/metrics';
import { WechatCallLog } from './services/wechat-call-log';
import { simulatorPlugin } from './simulator/plugin';
import { createWechatHttpClient } from './wechat/http';

/**
 * In development and tests every reply is checked against its documented schema and one that
 * breaks it fails loudly. Production only logs a broken reply (the caller gets it anyway), so
 * checking every one buys nothing a sample does not: code and schema drift apart for every
 * reply of a kind, not for one in a thousand. One reply in twenty is checked; the check cost
 * ~13 % of GET /shops's CPU when it ran on every reply.
 */
const PRODUCTION_RESPONSE_CHECK = { failAction: 'log', sample: 5 } as const;

declare module '@hapi/hapi' {
    interface ServerApplicationState {
        config: AppConfig;
        models: Models;
    }
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
            response: config.env === 'production' ? PRODUCTION_RESPONSE_CHECK : { failAction: 'error' },
            ...routeLimits(config.http),
            security: SECURITY_HEADERS,
        },
    });

    const secapi = await setUpSecapi(config);
    const models = initModels(createSequelize(config.database));
    const metrics = new Metrics(models);
    const wechatCalls = new WechatCallLog();
    const http = createWechatHttpClient(config.wechat.httpTimeoutMs, (call) => {
        metrics.recordWechatCall(call);
        wechatCalls.observe(call);
    });
    const services = createServices({ config, models, http, logger, secapi: secapi.route, wechatCalls, merchantCertificate: secapi.certificate });
    server.app.config = config;
    server.app.models = models;

    await server.register([
        // The request id's onRequest must come first: it sets the async context the rest of the lifecycle inherits.
        { plugin: loggingPlugin, options: { logger, trustedProxies: config.server.trustedProxies } },
        // Next, so a request arriving once the server stops listening runs nothing else.
        { plugin: stopGatePlugin },
        { plugin: errorsPlugin },
        { plugin: servicesPlugin, options: { services } },
        { plugin: metricsPlugin, options: { metrics, token: config.observability.metricsToken, production: config.env === 'production' } },
        { plugin: databasePlugin, options: { models, database: config.database } },
        { plugin: authPlugin, options: { tokens: services.tokens, users: services.users } },
        { plugin: adminAuthPlugin, options: { apiKey: config.admin?.apiKey } },
        { plugin: staffAuthPlugin, options: { config: config.staff, sessions: services.staffSessions } },
        { plugin: auditPlugin, options: { trustedProxies: config.server.trustedProxies } },
        { plugin: rateLimitPlugin, options: { config, logger } },
        { plugin: swaggerPlugin, options: config.observability },
        { plugin: routesPlugin, options: { devLogin: config.devLogin, notifyMaxBytes: config.notifications.maxBytes, notifyRouteTimeoutMs: config.http.notifyRouteTimeoutMs } },
        { plugin: jobsPlugin, options: { jobs: [services.reconciler, services.notificationRetention, services.refundJob, services.dailyReconciliation, services.shipmentUploader, services.receipts] } },
    ]);
    if (config.simulator.enabled) {
        const { timeScale, notifyDuplicates, notifyTimeoutMs } = config.simulator;
        await server.register(
            { plugin: simulatorPlugin, options: { merchant: config.wechat, timeScale, notifyDuplicates, notifyTimeoutMs, tls: secapi.simulatorTls, refundNotifyUrl: config.refunds.notifyUrl } },
            { routes: { prefix: '/__wechat' } },
        );
    }

    await server.initialize();
    return server;
}
