import type { WechatMerchant } from '../config';
import { nonceStr } from '../wechat/nonce';
import { encryptRefundInfo } from '../wechat/refund-crypto';
import type { WxParams } from '../wechat/sign';
import { toBeijingDateTime } from '../wechat/time';
import { buildWxXml } from '../wechat/xml';
import type { Refund } from './refunds';

/** Where the simulated money goes back: the payer's WeChat balance, from the unsettled funds. */
const REFUND_RECV_ACCOUNT = '支付用户零钱';
const REFUND_ACCOUNT = 'REFUND_SOURCE_UNSETTLED_FUNDS';

/** What WeChat reports about one refund, alike in the notification's req_info and (suffixed _$n) in refundquery. */
export function refundFields(refund: Refund): WxParams {
    return {
        out_refund_no: refund.outRefundNo,
        refund_id: refund.refundId,
        refund_fee: String(refund.refundFee),
        settlement_refund_fee: String(refund.refundFee),
        refund_status: refund.status,
        refund_account: REFUND_ACCOUNT,
        refund_recv_accout: REFUND_RECV_ACCOUNT,
        success_time: refund.successTime === undefined ? undefined : toBeijingDateTime(refund.successTime),
    };
}

/**
 * The refund notification: unsigned, as WeChat's are; what it says travels only inside
 * req_info, encrypted under the merchant's API key, which is what proves it came from WeChat.
 */
export function refundNotification(merchant: WechatMerchant, refund: Refund): string {
    const { order } = refund;
    const info = {
        transaction_id: order.payment?.transactionId,
        out_trade_no: order.outTradeNo,
        total_fee: String(order.totalFee),
        settlement_total_fee: String(order.totalFee),
        ...refundFields(refund),
        refund_request_source: refund.source,
    };
    return buildWxXml({
        return_code: 'SUCCESS',
        appid: merchant.appId,
        mch_id: merchant.mchId,
        nonce_str: nonceStr(),
        req_info: encryptRefundInfo(info, merchant.apiKey),
    });
}
