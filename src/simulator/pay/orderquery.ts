import { paidFields } from '../messages';
import type { Order, TradeState } from '../orders';
import type { Simulator } from '../simulator';
import { resultFail, returnFail, signedReply, type PayRequest } from './protocol';

export const ORDERQUERY_REQUIRED = ['appid', 'mch_id', 'nonce_str', 'sign'] as const;

/** What orderquery reports: the order's own state, or REFUND once any refund of it was made. */
type ReportedState = TradeState | 'REFUND';

const TRADE_STATE_DESC: Readonly<Record<ReportedState, string>> = {
    SUCCESS: '支付成功',
    REFUND: '转入退款',
    NOTPAY: '订单未支付',
    CLOSED: '订单已关闭',
    USERPAYING: '用户支付中',
    PAYERROR: '支付失败(其他原因，如银行返回失败)',
};

/** The order's trade_state (REFUND after a refund); the payment's details only once it is paid, as WeChat does. */
export function orderQuery(simulator: Simulator, { fields, signType }: PayRequest): string {
    const { merchant, orders } = simulator;
    const { transaction_id, out_trade_no } = fields;
    if (!transaction_id && !out_trade_no) {
        return returnFail('缺少参数 out_trade_no 或 transaction_id');
    }
    // transaction_id wins when both are given.
    const order: Order | undefined = transaction_id ? orders.findByTransactionId(transaction_id) : orders.find(out_trade_no as string);
    if (order === undefined) {
        return resultFail(merchant, signType, 'ORDERNOTEXIST', '此交易订单号不存在');
    }

    const reported: ReportedState = simulator.refunds.ofOrder(order).length > 0 ? 'REFUND' : order.state;
    const state = { result_code: 'SUCCESS', trade_state: reported, trade_state_desc: TRADE_STATE_DESC[reported] };
    return order.payment === undefined
        ? signedReply(merchant, signType, { ...state, out_trade_no: order.outTradeNo, attach: order.attach })
        : signedReply(merchant, signType, { ...state, ...paidFields(order, order.payment) });
}
