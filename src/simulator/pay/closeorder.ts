import type { Simulator } from '../simulator';
import { resultFail, signedReply, type PayRequest } from './protocol';

export const CLOSEORDER_REQUIRED = ['appid', 'mch_id', 'nonce_str', 'sign', 'out_trade_no'] as const;

/** WeChat refuses to close an order within 5 minutes of its first unifiedorder (simulated seconds). */
const CLOSE_AFTER_SECONDS = 5 * 60;

/** Closes an unpaid order, after which it can be neither paid nor ordered again. */
export function closeOrder(simulator: Simulator, { fields, signType }: PayRequest): string {
    const { merchant, orders, clock } = simulator;
    const fail = (errCode: string, description: string) => resultFail(merchant, signType, errCode, description);

    const order = orders.find(fields.out_trade_no as string);
    if (order === undefined) {
        return fail('ORDERNOTEXIST', '此交易订单号不存在');
    }
    if (order.state === 'SUCCESS') {
        return fail('ORDERPAID', '该订单已支付');
    }
    if (order.state === 'CLOSED') {
        return fail('ORDERCLOSED', '该订单已关闭');
    }
    if (!clock.hasElapsed(order.firstOrderedAt, CLOSE_AFTER_SECONDS)) {
        return fail('SYSTEMERROR', '订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟');
    }
    order.state = 'CLOSED';
    return signedReply(merchant, signType, { result_code: 'SUCCESS' });
}
