import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { buildWxXml } from '../wechat/xml';

/** `maxBytes`: WeChat's notifications are under 2 KB; anything far bigger is refused (413) unread. */
export const payNotifyRoutes = ({ maxBytes }: { maxBytes: number }): ServerRoute[] => [
    {
        method: 'POST',
        path: '/orders/pay/notify',
        options: {
            auth: false,
            tags: ['api', 'payments'],
            description: "WeChat Pay's payment notification (called by WeChat's servers, not by the mini-program)",
            notes: 'XML in, XML out. Every delivery is stored, then accepted only if the signature (with the API key), '
                + 'appid, mch_id, result and total_fee all hold. SUCCESS means handled (also for a repeat or a genuine failed payment); '
                + 'FAIL with 400 means refused; FAIL with 500 means the database is down, and WeChat will deliver again.',
            // Raw bytes: hapi would refuse application/xml (415) and we must store exactly what arrived.
            payload: { parse: false, output: 'data', maxBytes },
            response: { schema: Joi.string() },
            handler: async (request, h) => {
                const raw = Buffer.isBuffer(request.payload) ? request.payload : Buffer.alloc(0);
                try {
                    const answer = await request.server.app.services.notifications.receive(raw);
                    return h.response(buildWxXml({ return_code: answer.acknowledged ? 'SUCCESS' : 'FAIL', return_msg: answer.message }))
                        .type('text/xml')
                        .code(answer.acknowledged ? 200 : 400);
                }
                catch (error) {
                    request.log(['error', 'payments'], `notification not processed, WeChat will retry: ${(error as Error).message}`);
                    return h.response(buildWxXml({ return_code: 'FAIL', return_msg: 'temporarily unable to process; please retry' }))
                        .type('text/xml')
                        .code(500);
                }
            },
        },
    },
];
