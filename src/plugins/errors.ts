import Boom from '@hapi/boom';
import type { Lifecycle, Plugin, Request } from '@hapi/hapi';

import { buildWxXml } from '../wechat/xml';
import { isDatabaseUnavailable, toHttpError } from './error-mapping';

const PLUGIN_NAME = 'app-errors';

/** Joi's message names the offending field; hapi's default hides it behind "Invalid request". */
export const validationFailAction: Lifecycle.Method = (_request, _h, error) => {
    throw Boom.badRequest(error?.message ?? 'invalid request');
};

/**
 * Route `plugins` for routes WeChat's servers call: a failure of ours (a timeout, an outage)
 * leaves as WeChat's FAIL XML with HTTP 500, which WeChat retries, never as JSON.
 */
export const answersWechat = { [PLUGIN_NAME]: { wechatXml: true } } as const;

function answersInWechatXml(request: Request): boolean {
    return (request.route.settings.plugins as Record<string, { wechatXml?: boolean } | undefined>)[PLUGIN_NAME]?.wechatXml === true;
}

/**
 * The one place that shapes errors: every failure leaves as Boom's `{ statusCode, error, message }`
 * (named failures through error-mapping's table: WeChat's as 502/504/409, a database outage as
 * 503), and nothing leaks a stack.
 */
export const errorsPlugin: Plugin<void> = {
    name: PLUGIN_NAME,
    register(server) {
        server.ext('onPreResponse', (request, h) => {
            const response = request.response;
            if (!Boom.isBoom(response)) {
                return h.continue;
            }
            if (isDatabaseUnavailable(response)) {
                request.log(['error', 'database'], response.message);
            }
            const error = toHttpError(response) ?? response;
            if (error.output.statusCode >= 500 && answersInWechatXml(request)) {
                return h.response(buildWxXml({ return_code: 'FAIL', return_msg: 'temporarily unable to process; please retry' }))
                    .type('text/xml')
                    .code(500);
            }
            return error === response ? h.continue : error;
        });
    },
};
