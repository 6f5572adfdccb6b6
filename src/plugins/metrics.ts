import { createHash, timingSafeEqual } from 'node:crypto';

import Boom from '@hapi/boom';
import type { Plugin, Request } from '@hapi/hapi';

import type { Metrics } from '../services/metrics';

export interface MetricsPluginOptions {
    readonly metrics: Metrics;
    /** METRICS_TOKEN: when set, a scrape must send it as a Bearer token. */
    readonly token: string | undefined;
    /** Without a token, production has no /metrics at all (404). */
    readonly production: boolean;
}

/** Hashing first makes the compare constant-time whatever the lengths. */
const digest = (text: string) => createHash('sha256').update(text).digest();

function sentToken(request: Request): string | undefined {
    const header = request.headers.authorization;
    return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/**
 * Counts every answered request under its route template, and serves GET /metrics in
 * Prometheus text format (outside Swagger and the request logs).
 */
export const metricsPlugin: Plugin<MetricsPluginOptions> = {
    name: 'app-metrics',
    register(server, { metrics, token, production }) {
        server.events.on('response', (request) => {
            const { received, completed, responded } = request.info;
            metrics.recordRequest({
                route: request.route.path,
                method: request.method.toUpperCase(),
                status: request.raw.res.statusCode,
                seconds: ((completed || responded) - received) / 1000,
            });
        });

        if (token === undefined && production) {
            return;
        }
        const expected = token === undefined ? undefined : digest(token);
        server.route({
            method: 'GET',
            path: '/metrics',
            options: { auth: false },
            handler: async (request, h) => {
                if (expected !== undefined) {
                    const sent = sentToken(request);
                    if (sent === undefined || !timingSafeEqual(digest(sent), expected)) {
                        throw Boom.unauthorized('GET /metrics needs "Authorization: Bearer" and the METRICS_TOKEN', 'Bearer');
                    }
                }
                const { contentType, body } = await metrics.exposition();
                return h.response(body).type(contentType);
            },
        });
    },
};
