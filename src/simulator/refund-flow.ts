import { refundNotification } from './refund-messages';
import { MAX_REFUNDS_PER_ORDER, type NewRefund, type Refund, type RefundStatus } from './refunds';
import type { Simulator } from './simulator';

/** How long an accepted refund stays PROCESSING before it succeeds, in simulated seconds. */
export const REFUND_SETTLES_AFTER_SECONDS = 60;

/** WeChat's no to a refund, as err_code and err_code_des. */
export interface RefundRefusal {
    readonly errCode: string;
    readonly description: string;
}

/**
 * What WeChat checks of any refund, from the API or the merchant platform alike: the order
 * is paid, has fewer than 50 refunds, and has at least `refundFee` left. An accepted refund
 * is PROCESSING; it succeeds a (scaled) minute later unless settled otherwise first, and
 * then its notification goes out.
 */
export function openRefund(simulator: Simulator, input: NewRefund): Refund | RefundRefusal {
    const { order } = input;
    if (order.state !== 'SUCCESS') {
        return { errCode: 'ERROR', description: '订单未支付或已关闭，不能退款' };
    }
    if (simulator.refunds.ofOrder(order).length >= MAX_REFUNDS_PER_ORDER) {
        return { errCode: 'ERROR', description: `该订单退款次数已达 ${MAX_REFUNDS_PER_ORDER} 次，不能再退款` };
    }
    if (input.refundFee > simulator.refunds.refundable(order)) {
        return { errCode: 'ERROR', description: '累计退款金额大于支付金额' };
    }
    const refund = simulator.refunds.create(input);
    void settleLater(simulator, refund);
    return refund;
}

export function isRefusal(outcome: Refund | RefundRefusal): outcome is RefundRefusal {
    return 'errCode' in outcome;
}

/** The end states WeChat reports: refunded, closed (the money stays with the merchant), or stuck at the user's account. */
export type SettledStatus = Exclude<RefundStatus, 'PROCESSING'>;

/**
 * Ends a PROCESSING refund as `status` now, and notifies it; false if it had already ended.
 * A refund nobody settles by hand succeeds on its own a (scaled) minute after it opened.
 */
export function settleRefund(simulator: Simulator, refund: Refund, status: SettledStatus): boolean {
    if (refund.status !== 'PROCESSING') {
        return false;
    }
    refund.status = status;
    if (status === 'SUCCESS') {
        refund.successTime = new Date();
    }
    if (refund.notifyUrl !== undefined) {
        simulator.notifier.send({
            outTradeNo: refund.order.outTradeNo,
            transactionId: refund.order.payment?.transactionId,
            resultCode: 'SUCCESS',
            notifyUrl: refund.notifyUrl,
            xml: refundNotification(simulator.merchant, refund),
            outRefundNo: refund.outRefundNo,
        });
    }
    return true;
}

async function settleLater(simulator: Simulator, refund: Refund): Promise<void> {
    if (await simulator.scheduler.wait(simulator.clock.realMs(REFUND_SETTLES_AFTER_SECONDS))) {
        settleRefund(simulator, refund, 'SUCCESS');
    }
}
