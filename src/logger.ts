import pino, { type DestinationStream, type Logger } from 'pino';

import type { AppConfig } from './config';

/**
 * Paths that may carry a secret in anything this app logs. Code never logs secrets on
 * purpose; this is the net under that rule for what pino serialises (request headers).
 */
const REDACTED = [
    'req.headers.authorization',
    // The simulator's jscode2session takes the app secret and login code in its query string.
    'req.query.secret',
    'req.query.js_code',
    'req.query.token',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    '*.sessionKey',
    '*.session_key',
    '*.apiKey',
    '*.appSecret',
    '*.secret',
    '*.token',
];

export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger {
    return pino({ level: config.logLevel, redact: { paths: REDACTED, censor: '[redacted]' } }, destination);
}
