import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { buildWxXml } from '../wechat/xml';

/** What a payment notification looks like, for the docs (the sign is illustrative). */
const NOTIFICATION_EXAMPLE = buildWxXml({
    appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: '5d2b6c2a8db53831f7eda20af46e531c', sign: 'B552ED6B279343CB493C5DD0D78AB241',
    result_code: 'SUCCESS', return_code: 'SUCCESS', openid: 'oUpF8uMEb4qRXf22hE3X68TekukE', trade_type: 'JSAPI', bank_type: 'CFT',
    total_fee: '1860', cash_fee: '1860', fee_type: 'CNY', transaction_id: '4200000001202612011234567890', out_trade_no: 'WX20261201100000000001',
    time_end: '20261201100500',
});

const reply = (returnCode: string, returnMsg: string) => buildWxXml({ return_code: returnCode, return_msg: returnMsg });

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
                + 'FAIL with 400 means refused; FAIL with 500 means the database is down, and WeChat will deliver again.\n\n'
                + 'The body WeChat posts (Content-Type text/xml), signed over every field except sign:\n\n'
                + '```xml\n' + NOTIFICATION_EXAMPLE + '\n```',
            // Raw bytes: hapi would refuse application/xml (415) and we must store exactly what arrived.
            payload: { parse: false, output: 'data', maxBytes },
            response: { schema: Joi.string() },
            plugins: {
                'hapi-swagger': {
                    consumes: ['text/xml'],
                    produces: ['text/xml'],
                    responses: {
                        200: { description: `handled; WeChat stops delivering it:\n\n\`\`\`xml\n${reply('SUCCESS', 'OK')}\n\`\`\`` },
                        400: { description: `refused (bad signature, wrong merchant, amount mismatch, malformed body), with the reason:\n\n\`\`\`xml\n${reply('FAIL', 'signature mismatch')}\n\`\`\`` },
                        500: { description: `not processed (database unavailable); WeChat delivers again later:\n\n\`\`\`xml\n${reply('FAIL', 'temporarily unable to process; please retry')}\n\`\`\`` },
                    },
                },
            },
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
