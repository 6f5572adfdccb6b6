import { randomUUID } from 'node:crypto';

import Boom from '@hapi/boom';
import type { Plugin, Request } from '@hapi/hapi';

import { requestContext } from '../request-context';
import { fromTrustedProxy } from '../routes/client-ip';

declare module '@hapi/hapi' {
    interface RequestApplicationState {
        requestId: string;
    }
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Short and plain: the id is echoed into logs and a response header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The proxy's id when one of our proxies sent a usable one (so its logs and ours match); otherwise a new one. */
function requestIdOf(request: Request, trustedProxies: readonly string[]): string {
    const offered = request.headers[REQUEST_ID_HEADER];
    if (typeof offered === 'string' && SAFE_REQUEST_ID.test(offered) && fromTrustedProxy(request, trustedProxies)) {
        return offered;
    }
    return randomUUID();
}

/**
 * Gives each request an id, makes it the async context of everything the request runs (so
 * the logger's mixin finds it), and returns it in the x-request-id response header.
 */
export const requestIdPlugin: Plugin<{ trustedProxies: readonly string[] }> = {
    name: 'app-request-id',
    register(server, { trustedProxies }) {
        server.ext('onRequest', (request, h) => {
            const requestId = requestIdOf(request, trustedProxies);
            request.app.requestId = requestId;
            // enterWith, not run: hapi's lifecycle continues from this point, so everything
            // after it (handlers, services, the response log) inherits the context.
            requestContext.enterWith({ requestId });
            return h.continue;
        });
        server.ext('onPreResponse', (request, h) => {
            const response = request.response;
            if (Boom.isBoom(response)) {
                response.output.headers[REQUEST_ID_HEADER] = request.app.requestId;
            }
            else {
                response.header(REQUEST_ID_HEADER, request.app.requestId);
            }
            return h.continue;
        });
    },
};
