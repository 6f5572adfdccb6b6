import Boom from '@hapi/boom';
import type { Lifecycle, Plugin } from '@hapi/hapi';
import { ConnectionError, TimeoutError } from 'sequelize';

/** Joi's message names the offending field; hapi's default hides it behind "Invalid request". */
export const validationFailAction: Lifecycle.Method = (_request, _h, error) => {
    throw Boom.badRequest(error?.message ?? 'invalid request');
};

/** True for failures of the database itself (down, unreachable, pool exhausted, locked too long). */
function isDatabaseUnavailable(error: unknown): boolean {
    return error instanceof ConnectionError || error instanceof TimeoutError;
}

/**
 * The one place that shapes errors: every failure leaves as Boom's
 * `{ statusCode, error, message }`, a database outage as 503, and nothing leaks a stack.
 */
export const errorsPlugin: Plugin<void> = {
    name: 'app-errors',
    register(server) {
        server.ext('onPreResponse', (request, h) => {
            const response = request.response;
            if (!Boom.isBoom(response)) {
                return h.continue;
            }
            if (isDatabaseUnavailable(response)) {
                request.log(['error', 'database'], response.message);
                return Boom.serverUnavailable('database unavailable, try again shortly');
            }
            return h.continue;
        });
    },
};
