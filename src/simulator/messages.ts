import type { WechatMerchant } from '../config';
import { nonceStr } from '../wechat/nonce';
import { sign, type SignType, type WxParams } from '../wechat/sign';
import { toBeijingCompact } from '../wechat/time';
import { buildWxXml } from '../wechat/xml';
import type { Order, Payment } from './orders';

/**
 * A signed message from WeChat Pay to the merchant: a reply or a notification. It never
 * carries sign_type; the receiver knows which it asked for. `key` is only ever overridden
 * to forge a wrong signature.
 */
export function signedMessage(merchant: WechatMerchant, signType: SignType, fields: WxParams, key = merchant.apiKey): string {
    const message = { return_code: 'SUCCESS', appid: merchant.appId, mch_id: merchant.mchId, nonce_str: nonceStr(), ...fields };
    return buildWxXml({ ...message, sign: sign(message, key, signType) });
}

/** What WeChat reports about a paid order, alike in orderquery's reply and in the notification. */
export function paidFields(order: Pick<Order, 'openid' | 'totalFee' | 'outTradeNo' | 'attach'>, payment: Payment): WxParams {
    return {
        openid: order.openid,
        is_subscribe: 'N',
        trade_type: 'JSAPI',
        bank_type: 'OTHERS',
        total_fee: String(order.totalFee),
        cash_fee: String(order.totalFee),
        fee_type: 'CNY',
        transaction_id: payment.transactionId,
        out_trade_no: order.outTradeNo,
        attach: order.attach,
        time_end: toBeijingCompact(payment.timeEnd),
    };
}

/** The payment notification WeChat posts to notify_url, signed as the order's prepay was. */
export function paidNotification(merchant: WechatMerchant, order: Order, payment: Payment): string {
    return signedMessage(merchant, order.terms.signType, { result_code: 'SUCCESS', ...paidFields(order, payment) });
}

/** The notification of a failed payment: result_code FAIL, and no transaction. */
export function failedNotification(merchant: WechatMerchant, order: Order): string {
    return signedMessage(merchant, order.terms.signType, {
        result_code: 'FAIL',
        err_code: 'NOTENOUGH',
        err_code_des: '余额不足',
        openid: order.openid,
        is_subscribe: 'N',
        trade_type: 'JSAPI',
        total_fee: String(order.totalFee),
        fee_type: 'CNY',
        out_trade_no: order.outTradeNo,
        attach: order.attach,
    });
}
