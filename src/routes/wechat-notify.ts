import type { Request, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { NotifyAnswer } from '../services/notification-service';
import { buildWxXml } from '../wechat/xml';

/** WeChat's answer XML: SUCCESS stops its deliveries, FAIL asks for another. */
const wechatReply = (returnCode: 'SUCCESS' | 'FAIL', returnMsg: string) => buildWxXml({ return_code: returnCode, return_msg: returnMsg });

export interface WechatNotifyRoute {
    readonly path: string;
    readonly description: string;
    /** What the notification carries and how it is judged, ending with its example body. */
    readonly notes: string;
    /** A typical refusal's reason, for the docs. */
    readonly refusedExample: { readonly when: string; readonly reason: string };
    /** Judges and records one delivery (a database failure throws, and WeChat delivers again). */
    readonly receive: (request: Request, body: Buffer) => Promise<NotifyAnswer>;
    /** NOTIFY_MAX_BYTES: WeChat's notifications are under 2 KB; anything far bigger is refused (413) unread. */
    readonly maxBytes: number;
}

/**
 * A route WeChat's servers post a notification to (payment or refund): XML in, XML out, the body
 * taken raw (hapi would refuse application/xml with 415, and the bytes are stored exactly as they
 * arrived). SUCCESS (200) means handled, FAIL with 400 refused, FAIL with 500 not processed.
 */
export function wechatNotifyRoute({ path, description, notes, refusedExample, receive, maxBytes }: WechatNotifyRoute): ServerRoute {
    return {
        method: 'POST',
        path,
        options: {
            auth: false,
            tags: ['api', 'payments'],
            description,
            notes,
            payload: { parse: false, output: 'data', maxBytes },
            response: { schema: Joi.string() },
            plugins: {
                'hapi-swagger': {
                    consumes: ['text/xml'],
                    produces: ['text/xml'],
                    responses: {
                        200: { description: `handled; WeChat stops delivering it:\n\n\`\`\`xml\n${wechatReply('SUCCESS', 'OK')}\n\`\`\`` },
                        400: { description: `refused (${refusedExample.when}), with the reason:\n\n\`\`\`xml\n${wechatReply('FAIL', refusedExample.reason)}\n\`\`\`` },
                        500: { description: `not processed (database unavailable); WeChat delivers again later:\n\n\`\`\`xml\n${wechatReply('FAIL', 'temporarily unable to process; please retry')}\n\`\`\`` },
                    },
                },
            },
            handler: async (request, h) => {
                const raw = Buffer.isBuffer(request.payload) ? request.payload : Buffer.alloc(0);
                try {
                    const answer = await receive(request, raw);
                    return h.response(wechatReply(answer.acknowledged ? 'SUCCESS' : 'FAIL', answer.message)).type('text/xml').code(answer.acknowledged ? 200 : 400);
                }
                catch (error) {
                    request.log(['error', 'payments'], `${path} not processed, WeChat will retry: ${(error as Error).message}`);
                    return h.response(wechatReply('FAIL', 'temporarily unable to process; please retry')).type('text/xml').code(500);
                }
            },
        },
    };
}
