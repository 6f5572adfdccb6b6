import type { SignType } from '../../wechat/sign';
import { fromBeijingCompact } from '../../wechat/time';
import type { OrderTerms } from '../orders';
import type { Simulator } from '../simulator';
import { orderFormatProblem } from './order-format';
import { resultFail, signedReply, type PayRequest } from './protocol';

export const UNIFIEDORDER_REQUIRED = [
    'appid', 'mch_id', 'nonce_str', 'sign', 'body', 'out_trade_no', 'total_fee',
    'spbill_create_ip', 'notify_url', 'trade_type', 'openid',
] as const;

/** How long WeChat honours a prepay_id, in simulated seconds. */
const PREPAY_LIFETIME_SECONDS = 2 * 60 * 60;

/**
 * Opens the order, or for a repeat of an unpaid one (same amount, same payer) issues a
 * fresh prepay_id for it under the new call's notify_url, sign type and time_expire.
 */
export function unifiedOrder(simulator: Simulator, { fields, signType }: PayRequest): string {
    const { merchant, orders, clock } = simulator;
    const fail = (errCode: string, description: string) => resultFail(merchant, signType, errCode, description);

    const problem = orderFormatProblem(fields, new Date());
    if (problem !== undefined) {
        return fail('PARAM_ERROR', problem);
    }

    const outTradeNo = fields.out_trade_no as string;
    const totalFee = Number(fields.total_fee);
    const openid = fields.openid as string;
    const terms = termsOf(fields, signType);
    let order = orders.find(outTradeNo);
    if (order === undefined) {
        order = orders.create({ outTradeNo, openid, totalFee, body: fields.body as string, attach: fields.attach, terms });
    }
    else if (order.state === 'SUCCESS') {
        return fail('ORDERPAID', '该订单已支付');
    }
    else if (order.state === 'CLOSED') {
        return fail('ORDERCLOSED', '该订单已关闭');
    }
    else if (order.totalFee !== totalFee || order.openid !== openid) {
        return fail('OUT_TRADE_NO_USED', '商户订单号重复');
    }
    else {
        order.terms = terms;
    }

    const prepayId = orders.issuePrepay(order, Date.now() + clock.realMs(PREPAY_LIFETIME_SECONDS));
    return signedReply(merchant, signType, { result_code: 'SUCCESS', trade_type: 'JSAPI', prepay_id: prepayId });
}

function termsOf(fields: Readonly<Record<string, string>>, signType: SignType): OrderTerms {
    const timeExpire = fields.time_expire === undefined ? undefined : fromBeijingCompact(fields.time_expire);
    return { notifyUrl: fields.notify_url as string, signType, timeExpire };
}
