import type { Request } from '@hapi/hapi';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

import type { AppConfig } from './config';
import { requestContext } from './request-context';

/**
 * Paths that may carry a secret in anything this app logs. Code never logs secrets on
 * purpose; this is the net under that rule for what pino serialises.
 */
const REDACTED = [
    'req.headers.authorization',
    // The simulator's jscode2session takes the app secret and login code in its query string.
    'req.query.secret',
    'req.query.js_code',
    'req.query.token',
    // WeChat's access token travels in the query of every mini-program server API call.
    'req.query.access_token',
    '*.access_token',
    '*.accessToken',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    '*.sessionKey',
    '*.session_key',
    '*.apiKey',
    '*.appSecret',
    '*.secret',
    '*.token',
];

/** A request line says which request and how it ended, nothing more: no headers, query or payload. */
const SERIALIZERS = {
    req: (request: Request) => ({ method: request.method.toUpperCase(), path: request.path, remoteAddress: request.info.remoteAddress }),
    res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    err: pino.stdSerializers.err,
};

export type LogFormat = 'pretty' | 'json';

/** Coloured lines for a developer at a terminal; JSON for machines (production, CI, a pipe or a file). */
export function logFormat(config: Pick<AppConfig, 'observability'>, stdoutIsTty: boolean): LogFormat {
    return config.observability.logPretty && stdoutIsTty ? 'pretty' : 'json';
}

/** The app's logger: every line written while serving a request carries its `reqId`. */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'observability'>, destination?: DestinationStream): Logger {
    const format = destination === undefined ? logFormat(config, process.stdout.isTTY === true) : 'json';
    return pino({
        level: config.logLevel,
        redact: { paths: REDACTED, censor: '[redacted]' },
        serializers: SERIALIZERS,
        mixin: () => {
            const context = requestContext.getStore();
            return context === undefined ? {} : { reqId: context.requestId };
        },
    }, format === 'pretty' ? prettyLines() : destination);
}

function prettyLines(): DestinationStream {
    return pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,reqId,req,res,responseTime',
        messageFormat: '{if reqId}[{reqId}] {end}{msg}',
        singleLine: true,
    });
}
