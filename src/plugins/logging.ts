import type { Plugin } from '@hapi/hapi';
import hapiPino from 'hapi-pino';
import type { Logger } from 'pino';

/** Request logs through hapi-pino; payloads are never logged (they may hold login codes and profiles). */
export const loggingPlugin: Plugin<{ logger: Logger }> = {
    name: 'app-logging',
    async register(server, { logger }) {
        await server.register({
            plugin: hapiPino,
            options: {
                instance: logger,
                logPayload: false,
                logQueryParams: false,
                logRequestStart: false,
                ignorePaths: ['/health'],
                ignoreTags: ['noisy'],
            },
        });
    },
};
