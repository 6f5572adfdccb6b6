import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving a request can know about it. */
export interface RequestContext {
    readonly requestId: string;
}

/**
 * The request being served, for the logger's mixin: services log through the app's logger
 * and still get the request id, without being handed it.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();
