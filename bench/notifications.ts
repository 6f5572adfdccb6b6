import type { WechatMerchant } from '../src/config';
import { newTransactionId } from '../src/simulator/ids';
import { paidFields, signedMessage } from '../src/simulator/messages';
import type { SignType } from '../src/wechat/sign';

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
    const paid = paidFields({ openid: order.openId, totalFee: order.totalFee, outTradeNo: order.outTradeNo }, { transactionId, timeEnd: now });
    const xml = signedMessage(merchant, signType, { result_code: 'SUCCESS', ...paid });
    return { outTradeNo: order.outTradeNo, transactionId, xml };
}
