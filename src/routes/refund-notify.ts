import type { ServerRoute } from '@hapi/hapi';

import { buildWxXml } from '../wechat/xml';
import { wechatNotifyRoute } from './wechat-notify';

/** What a refund notification looks like, for the docs: no sign, everything inside the encrypted req_info. */
const NOTIFICATION_EXAMPLE = buildWxXml({
    return_code: 'SUCCESS', appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: 'TeqClE3i0mvn3DrK',
    req_info: 'T87GAHG17TGAHG1TGHAHAHA1Y1CIOA9UGJH1GAHV871HAGAGQYQQPOOJMXNBCXBVNMNMAJAA==',
});

export const refundNotifyRoutes = ({ maxBytes }: { maxBytes: number }): ServerRoute[] => [
    wechatNotifyRoute({
        path: '/orders/refund/notify',
        description: "WeChat Pay's refund notification (called by WeChat's servers, not by the mini-program)",
        notes: 'XML in, XML out. WeChat signs none: req_info is base64 of AES-256-ECB under the MD5 of the API key. Every delivery is '
            + 'stored, then accepted only if req_info decrypts, appid and mch_id are ours, and it names one of our orders with the amounts '
            + 'we know. SUCCESS / REFUNDCLOSE / CHANGE are applied once however often WeChat delivers; a refund made by hand in the merchant '
            + 'platform is recorded as one of the order\'s. SUCCESS means handled; FAIL with 400 refused; FAIL with 500 not processed '
            + '(WeChat delivers again).\n\n```xml\n' + NOTIFICATION_EXAMPLE + '\n```',
        refusedExample: { when: 'undecryptable, wrong merchant, unknown order, amount mismatch, malformed body', reason: 'appid or mch_id is not ours' },
        receive: (request, body) => request.services().refundNotifications.receive(body),
        maxBytes,
    }),
];
