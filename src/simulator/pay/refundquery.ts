import { refundFields } from '../refund-messages';
import type { Refund } from '../refunds';
import type { Simulator } from '../simulator';
import { resultFail, returnFail, signedReply, type PayRequest } from './protocol';

export const REFUNDQUERY_REQUIRED = ['appid', 'mch_id', 'nonce_str', 'sign'] as const;

/** WeChat lists at most 10 refunds of an order per answer; `offset` pages on. */
const PAGE_SIZE = 10;

/**
 * The refunds one id names, WeChat's precedence first: refund_id, out_refund_no (one
 * refund), transaction_id, out_trade_no (the order's refunds). Each refund's fields carry
 * the suffix _$n, from 0; REFUNDNOTEXIST when there is none.
 */
export function refundQuery(simulator: Simulator, { fields, signType }: PayRequest): string {
    const { merchant, orders, refunds } = simulator;
    const { refund_id, out_refund_no, transaction_id, out_trade_no, offset } = fields;
    if (!refund_id && !out_refund_no && !transaction_id && !out_trade_no) {
        return returnFail('缺少参数 refund_id、out_refund_no、transaction_id 或 out_trade_no');
    }

    let found: readonly Refund[];
    if (refund_id || out_refund_no) {
        const one = refund_id ? refunds.findById(refund_id) : refunds.find(out_refund_no as string);
        found = one === undefined ? [] : [one];
    }
    else {
        const order = transaction_id ? orders.findByTransactionId(transaction_id) : orders.find(out_trade_no as string);
        found = order === undefined ? [] : refunds.ofOrder(order);
    }
    const [first] = found;
    if (first === undefined) {
        return resultFail(merchant, signType, 'REFUNDNOTEXIST', '退款订单查询失败');
    }

    const start = offset === undefined ? 0 : Number(offset);
    if (!/^\d{1,3}$/.test(offset ?? '0') || start >= found.length) {
        return resultFail(merchant, signType, 'PARAM_ERROR', `offset 须为小于退款笔数 ${found.length} 的非负整数`);
    }
    const page = found.slice(start, start + PAGE_SIZE);
    const { order } = first;
    return signedReply(merchant, signType, {
        result_code: 'SUCCESS',
        transaction_id: order.payment?.transactionId,
        out_trade_no: order.outTradeNo,
        total_fee: String(order.totalFee),
        settlement_total_fee: String(order.totalFee),
        fee_type: 'CNY',
        cash_fee: String(order.totalFee),
        refund_fee: String(page.reduce((sum, refund) => sum + refund.refundFee, 0)),
        refund_count: String(page.length),
        // WeChat gives the order's total only to a paged query.
        total_refund_count: offset === undefined ? undefined : String(found.length),
        ...Object.assign({}, ...page.map((refund, index) => numbered(refund, index))),
    });
}

/** One refund's fields as refundquery names them: `_$n` suffixed, success_time as refund_success_time. */
function numbered(refund: Refund, n: number): Record<string, string | undefined> {
    const entries = Object.entries({ ...refundFields(refund), refund_channel: 'ORIGINAL' })
        .map(([name, value]) => [`${name === 'success_time' ? 'refund_success_time' : name}_${n}`, value]);
    return Object.fromEntries(entries);
}
