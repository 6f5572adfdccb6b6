import Joi from 'joi';

import type { ConfigSection } from './settings';

/** How long WeChat Pay waits for the answer to a notification before counting it as failed. */
const WECHAT_NOTIFY_WAIT_MS = 5000;

/** How long the API gives a client, a request and a statement before cutting it off. */
export interface HttpLimits {
    /** Node's headersTimeout: a client must have sent its request headers within this. */
    readonly headersTimeoutMs: number;
    /** Node's requestTimeout: the whole request, headers and body, within this. */
    readonly requestTimeoutMs: number;
    /** hapi's payload timeout: the body within this once it starts. */
    readonly payloadTimeoutMs: number;
    /** A connection with no request in progress is closed after this (keep-alive and silent sockets). */
    readonly idleTimeoutMs: number;
    /** hapi's server timeout for every route: 503 when the reply is not ready by then. */
    readonly routeTimeoutMs: number;
    /** The same for POST /orders/pay/notify, below WeChat's 5 s so WeChat hears FAIL and delivers again. */
    readonly notifyRouteTimeoutMs: number;
    /** Connections beyond this are refused at once. */
    readonly maxConnections: number;
}

export const http: ConfigSection<HttpLimits> = {
    keys: {
        HTTP_HEADERS_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
        HTTP_REQUEST_TIMEOUT_MS: Joi.number().integer().min(Joi.ref('HTTP_HEADERS_TIMEOUT_MS')).default(30_000),
        HTTP_PAYLOAD_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
        HTTP_IDLE_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
        HTTP_MAX_CONNECTIONS: Joi.number().integer().min(1).default(1000),
        NOTIFY_ROUTE_TIMEOUT_MS: Joi.number().integer().min(500).max(WECHAT_NOTIFY_WAIT_MS - 500).default(4000),
        // A route that calls WeChat must outlast WeChat's timeout, or the caller gets 503 instead of 504.
        ROUTE_TIMEOUT_MS: Joi.number().integer().greater(Joi.ref('WX_HTTP_TIMEOUT_MS')).default(15_000),
    },
    read: (settings) => ({
        headersTimeoutMs: settings.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: settings.HTTP_REQUEST_TIMEOUT_MS,
        payloadTimeoutMs: settings.HTTP_PAYLOAD_TIMEOUT_MS,
        idleTimeoutMs: settings.HTTP_IDLE_TIMEOUT_MS,
        routeTimeoutMs: settings.ROUTE_TIMEOUT_MS,
        notifyRouteTimeoutMs: settings.NOTIFY_ROUTE_TIMEOUT_MS,
        maxConnections: settings.HTTP_MAX_CONNECTIONS,
    }),
};
