import type { Plugin, Request } from '@hapi/hapi';
import hapiPino from 'hapi-pino';
import type { Logger } from 'pino';

import { requestIdPlugin } from './request-id';

/**
 * Request logs through hapi-pino, one short line per request: method, path (never the query,
 * which may hold the simulator's secret), client address and status; the request id comes
 * from the logger's mixin. Payloads are never logged (they may hold login codes and profiles).
 */
export const loggingPlugin: Plugin<{ logger: Logger; trustedProxies: readonly string[] }> = {
    name: 'app-logging',
    async register(server, { logger, trustedProxies }) {
        await server.register({ plugin: requestIdPlugin, options: { trustedProxies } });
        await server.register({
            plugin: hapiPino,
            options: {
                instance: logger,
                logPayload: false,
                logQueryParams: false,
                logRequestStart: false,
                ignorePaths: ['/health', '/metrics'],
                ignoreTags: ['noisy'],
                wrapSerializers: false,
                serializers: {
                    req: (request: Request) => ({ method: request.method.toUpperCase(), path: request.path, remoteAddress: request.info.remoteAddress }),
                    res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
                },
            },
        });
    },
};
