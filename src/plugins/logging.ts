import type { Plugin, Request, RequestEvent, LogEvent } from '@hapi/hapi';
import type { Level, Logger } from 'pino';

import { requestIdPlugin } from './request-id';

/** Probes and scrapes: a line each would drown the requests people read logs for. */
const UNLOGGED_PATHS = new Set(['/health', '/metrics']);

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** server.log and request.log tags name their level (['error', 'database'] is an error); info otherwise. */
function levelOf(tags: readonly string[]): Level {
    return LEVELS.find((level) => tags.includes(level)) ?? 'info';
}

const unlogged = (request: Request) => UNLOGGED_PATHS.has(request.path);

/**
 * Request logs, one short line per request: method, path (never the query, which may hold the
 * simulator's secret), client address and status (the logger's serializers keep only those);
 * the request id comes from the logger's mixin. Payloads are never logged (they may hold login
 * codes and profiles). request.log and server.log lines go to the same logger, at the level
 * their tags name. Written here rather than through hapi-pino, which made a child logger per
 * request (serialising and redacting the request) even when the level drops all its lines.
 */
export const loggingPlugin: Plugin<{ logger: Logger; trustedProxies: readonly string[] }> = {
    name: 'app-logging',
    async register(server, { logger, trustedProxies }) {
        await server.register({ plugin: requestIdPlugin, options: { trustedProxies } });

        server.events.on('response', (request) => {
            if (!logger.isLevelEnabled('info') || unlogged(request)) {
                return;
            }
            const { received, completed, responded } = request.info;
            const responseTime = (completed || responded) - received;
            const res = request.raw.res;
            logger.info({ req: request, res, responseTime }, `[response] ${request.method} ${request.path} ${res.headersSent ? res.statusCode : '-'} (${responseTime}ms)`);
        });

        // 'app': request.log(); 'error': a reply of ours that failed with a 500.
        server.events.on({ name: 'request', channels: ['app', 'error'] }, (request: Request, event: RequestEvent) => {
            if (unlogged(request)) {
                return;
            }
            if (event.error !== undefined) {
                logger.error({ req: request, tags: event.tags, err: event.error }, (event.error as Error).message);
                return;
            }
            logger[levelOf(event.tags)]({ req: request, tags: event.tags, data: event.data });
        });

        server.events.on('log', (event: LogEvent) => {
            if (event.error !== undefined) {
                logger.error({ err: event.error, tags: event.tags });
                return;
            }
            logger[levelOf(event.tags)]({ tags: event.tags, data: event.data });
        });

        server.ext('onPostStart', () => logger.info(server.info, 'server started'));
        server.ext('onPostStop', () => logger.info(server.info, 'server stopped'));
    },
};
