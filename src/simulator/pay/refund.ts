import { isRefusal, openRefund } from '../refund-flow';
import type { Refund } from '../refunds';
import type { Simulator } from '../simulator';
import { isHttpUrl } from './order-format';
import { resultFail, returnFail, signedReply, type PayRequest } from './protocol';

export const REFUND_REQUIRED = ['appid', 'mch_id', 'nonce_str', 'sign', 'out_refund_no', 'total_fee', 'refund_fee'] as const;

const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;
const FEE = /^[1-9]\d{0,9}$/;
const REFUND_DESC_MAX_CHARACTERS = 80;

/**
 * /secapi/pay/refund, once the client certificate has passed: accepts a refund of a paid
 * order (it is PROCESSING until it settles). The same out_refund_no again with the same
 * amounts answers the same refund, as WeChat refunds once per out_refund_no; with other
 * amounts it is INVALID_REQUEST.
 */
export function refund(simulator: Simulator, { fields, signType }: PayRequest): string {
    const { merchant, orders, refunds } = simulator;
    const fail = (errCode: string, description: string) => resultFail(merchant, signType, errCode, description);
    const { transaction_id, out_trade_no, out_refund_no, total_fee, refund_fee, notify_url, refund_desc, refund_fee_type } = fields;

    if (!transaction_id && !out_trade_no) {
        return returnFail('缺少参数 out_trade_no 或 transaction_id');
    }
    const problem = formatProblem(fields);
    if (problem !== undefined) {
        return fail('PARAM_ERROR', problem);
    }

    // transaction_id wins when both are given.
    const order = transaction_id ? orders.findByTransactionId(transaction_id) : orders.find(out_trade_no as string);
    if (order === undefined) {
        return transaction_id ? fail('INVALID_TRANSACTIONID', '无效transaction_id') : fail('ORDERNOTEXIST', '订单不存在');
    }
    const refundFee = Number(refund_fee);
    const sameAsAsked = (candidate: Refund) => candidate.order === order && candidate.refundFee === refundFee && Number(total_fee) === order.totalFee;

    const earlier = refunds.find(out_refund_no as string);
    if (earlier !== undefined) {
        return sameAsAsked(earlier) ? accepted(simulator, signType, earlier) : fail('INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
    }
    if (Number(total_fee) !== order.totalFee) {
        return fail('INVALID_REQUEST', '订单金额与支付金额不一致');
    }
    if (refund_fee_type !== undefined && refund_fee_type !== 'CNY') {
        return fail('PARAM_ERROR', 'refund_fee_type 只支持 CNY');
    }
    if (refund_desc !== undefined && [...refund_desc].length > REFUND_DESC_MAX_CHARACTERS) {
        return fail('PARAM_ERROR', `refund_desc 不能超过 ${REFUND_DESC_MAX_CHARACTERS} 个字符`);
    }

    const outcome = openRefund(simulator, {
        order,
        outRefundNo: out_refund_no as string,
        refundFee,
        source: 'API',
        // Without notify_url WeChat notifies the URL set in the merchant platform.
        notifyUrl: notify_url ?? simulator.refundNotifyUrl,
    });
    return isRefusal(outcome) ? fail(outcome.errCode, outcome.description) : accepted(simulator, signType, outcome);
}

function formatProblem(fields: Readonly<Record<string, string>>): string | undefined {
    const { out_refund_no, total_fee, refund_fee, notify_url } = fields;
    if (!OUT_REFUND_NO.test(out_refund_no ?? '')) {
        return 'out_refund_no 须为 1-64 位字母、数字或 _-|*@';
    }
    if (!FEE.test(total_fee ?? '') || !FEE.test(refund_fee ?? '')) {
        return 'total_fee 和 refund_fee 须为正整数（单位：分）';
    }
    if (notify_url !== undefined && !isHttpUrl(notify_url)) {
        return 'notify_url 须为 http(s) 地址，不超过 256 个字符';
    }
    return undefined;
}

/** "Accepted", not "refunded": the money moves when the refund settles. */
function accepted(simulator: Simulator, signType: PayRequest['signType'], refund: Refund): string {
    const { order } = refund;
    return signedReply(simulator.merchant, signType, {
        result_code: 'SUCCESS',
        transaction_id: order.payment?.transactionId,
        out_trade_no: order.outTradeNo,
        out_refund_no: refund.outRefundNo,
        refund_id: refund.refundId,
        refund_fee: String(refund.refundFee),
        settlement_refund_fee: String(refund.refundFee),
        total_fee: String(order.totalFee),
        settlement_total_fee: String(order.totalFee),
        fee_type: 'CNY',
        cash_fee: String(order.totalFee),
        cash_refund_fee: String(refund.refundFee),
    });
}
