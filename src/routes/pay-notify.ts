import type { ServerRoute } from '@hapi/hapi';

import { buildWxXml } from '../wechat/xml';
import { wechatNotifyRoute } from './wechat-notify';

/** What a payment notification looks like, for the docs (the sign is illustrative). */
const NOTIFICATION_EXAMPLE = buildWxXml({
    appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: '5d2b6c2a8db53831f7eda20af46e531c', sign: 'B552ED6B279343CB493C5DD0D78AB241',
    result_code: 'SUCCESS', return_code: 'SUCCESS', openid: 'oUpF8uMEb4qRXf22hE3X68TekukE', trade_type: 'JSAPI', bank_type: 'CFT',
    total_fee: '1860', cash_fee: '1860', fee_type: 'CNY', transaction_id: '4200000001202612011234567890', out_trade_no: 'WX20261201100000000001',
    time_end: '20261201100500',
});

export const payNotifyRoutes = ({ maxBytes }: { maxBytes: number }): ServerRoute[] => [
    wechatNotifyRoute({
        path: '/orders/pay/notify',
        description: "WeChat Pay's payment notification (called by WeChat's servers, not by the mini-program)",
        notes: 'XML in, XML out. Every delivery is stored, then accepted only if the signature (with the API key), '
            + 'appid, mch_id, result and total_fee all hold. SUCCESS means handled (also for a repeat or a genuine failed payment); '
            + 'FAIL with 400 means refused; FAIL with 500 means the database is down, and WeChat will deliver again.\n\n'
            + 'The body WeChat posts (Content-Type text/xml), signed over every field except sign:\n\n'
            + '```xml\n' + NOTIFICATION_EXAMPLE + '\n```',
        refusedExample: { when: 'bad signature, wrong merchant, amount mismatch, malformed body', reason: 'signature mismatch' },
        receive: (request, body) => request.services().notifications.receive(body),
        maxBytes,
    }),
];
