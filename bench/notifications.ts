import type { WechatMerchant } from '../src/config';
import { newTransactionId } from '../src/simulator/ids';
import { signedMessage } from '../src/simulator/messages';
import type { SignType } from '../src/wechat/sign';
import { toBeijingCompact } from '../src/wechat/time';

/** An order the bench placed and started paying (it has a prepay at the simulator). */
export interface PrepaidOrder {
    readonly outTradeNo: string;
    readonly totalFee: number;
    readonly openId: string;
}

export interface Notification {
    readonly outTradeNo: string;
    readonly transactionId: string;
    readonly xml: string;
}

/** The notification WeChat sends when the shopper pays: signed with the merchant key, as the prepay was. */
export function paidNotification(merchant: WechatMerchant, signType: SignType, order: PrepaidOrder): Notification {
    const now = new Date();
    const transactionId = newTransactionId(now);
    const xml = signedMessage(merchant, signType, {
        result_code: 'SUCCESS',
        openid: order.openId,
        is_subscribe: 'N',
        trade_type: 'JSAPI',
        bank_type: 'OTHERS',
        total_fee: String(order.totalFee),
        cash_fee: String(order.totalFee),
        fee_type: 'CNY',
        transaction_id: transactionId,
        out_trade_no: order.outTradeNo,
        time_end: toBeijingCompact(now),
    });
    return { outTradeNo: order.outTradeNo, transactionId, xml };
}
