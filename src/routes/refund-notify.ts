import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { buildWxXml } from '../wechat/xml';

/** What a refund notification looks like, for the docs: no sign, everything inside the encrypted req_info. */
const NOTIFICATION_EXAMPLE = buildWxXml({
    return_code: 'SUCCESS', appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: 'TeqClE3i0mvn3DrK',
    req_info: 'T87GAHG17TGAHG1TGHAHAHA1Y1CIOA9UGJH1GAHV871HAGAGQYQQPOOJMXNBCXBVNMNMAJAA==',
});

const reply = (returnCode: string, returnMsg: string) => buildWxXml({ return_code: returnCode, return_msg: returnMsg });

/** `maxBytes`: as for payment notifications (NOTIFY_MAX_BYTES). */
export const refundNotifyRoutes = ({ maxBytes }: { maxBytes: number }): ServerRoute[] => [
    {
        method: 'POST',
        path: '/orders/refund/notify',
        options: {
            auth: false,
            tags: ['api', 'payments'],
            description: "WeChat Pay's refund notification (called by WeChat's servers, not by the mini-program)",
            notes: 'XML in, XML out. WeChat signs none: req_info is base64 of AES-256-ECB under the MD5 of the API key. Every delivery is '
                + 'stored, then accepted only if req_info decrypts, appid and mch_id are ours, and it names one of our orders with the amounts '
                + 'we know. SUCCESS / REFUNDCLOSE / CHANGE are applied once however often WeChat delivers; a refund made by hand in the merchant '
                + 'platform is recorded as one of the order\'s. SUCCESS means handled; FAIL with 400 refused; FAIL with 500 not processed '
                + '(WeChat delivers again).\n\n```xml\n' + NOTIFICATION_EXAMPLE + '\n```',
            payload: { parse: false, output: 'data', maxBytes },
            response: { schema: Joi.string() },
            plugins: {
                'hapi-swagger': {
                    consumes: ['text/xml'],
                    produces: ['text/xml'],
                    responses: {
                        200: { description: `handled; WeChat stops delivering it:\n\n\`\`\`xml\n${reply('SUCCESS', 'OK')}\n\`\`\`` },
                        400: { description: `refused (undecryptable, wrong merchant, unknown order, amount mismatch, malformed body):\n\n\`\`\`xml\n${reply('FAIL', 'appid or mch_id is not ours')}\n\`\`\`` },
                        500: { description: `not processed (database unavailable); WeChat delivers again later:\n\n\`\`\`xml\n${reply('FAIL', 'temporarily unable to process; please retry')}\n\`\`\`` },
                    },
                },
            },
            handler: async (request, h) => {
                const raw = Buffer.isBuffer(request.payload) ? request.payload : Buffer.alloc(0);
                try {
                    const answer = await request.server.app.services.refundNotifications.receive(raw);
                    return h.response(reply(answer.acknowledged ? 'SUCCESS' : 'FAIL', answer.message)).type('text/xml').code(answer.acknowledged ? 200 : 400);
                }
                catch (error) {
                    request.log(['error', 'payments'], `refund notification not processed, WeChat will retry: ${(error as Error).message}`);
                    return h.response(reply('FAIL', 'temporarily unable to process; please retry')).type('text/xml').code(500);
                }
            },
        },
    },
];
