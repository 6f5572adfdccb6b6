import http from 'node:http';

import type { RouteOptions } from '@hapi/hapi';

import type { AppConfig } from './config';

// What the server allows a client: how long, how big, how many. src/server.ts applies these.

/** Bodies the API accepts; WeChat's notifications are a few hundred bytes. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/** hapi's security headers on every reply; browsers ignore HSTS over plain http, so it is harmless in development. */
export const SECURITY_HEADERS: RouteOptions['security'] = {
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
export function createListener(limits: AppConfig['http']): http.Server {
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
export function routeLimits(limits: AppConfig['http']): Pick<RouteOptions, 'timeout' | 'payload'> {
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
