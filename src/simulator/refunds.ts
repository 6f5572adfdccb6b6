import { newRefundId } from './ids';
import type { Order } from './orders';

/** WeChat's refund_status: accepted and under way, done, closed (failed), or stuck (the user's account). */
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'REFUNDCLOSE' | 'CHANGE';

/** API: the merchant called /secapi/pay/refund. VENDOR_PLATFORM: someone refunded by hand in the merchant platform. */
export type RefundSource = 'API' | 'VENDOR_PLATFORM';

export interface Refund {
    readonly refundId: string;
    readonly outRefundNo: string;
    readonly order: Order;
    readonly refundFee: number;
    readonly source: RefundSource;
    /** Where its notification goes; none, and WeChat tells nobody. */
    readonly notifyUrl?: string;
    readonly requestedAt: Date;
    /** Set in place when it settles. */
    status: RefundStatus;
    successTime?: Date;
}

/** Without outRefundNo, WeChat numbers the refund itself, as for a platform refund: out_refund_no = refund_id. */
export type NewRefund = Pick<Refund, 'order' | 'refundFee' | 'source' | 'notifyUrl'> & { readonly outRefundNo?: string };

/** WeChat refunds one order at most 50 times. */
export const MAX_REFUNDS_PER_ORDER = 50;

/** The merchant's refunds as WeChat Pay knows them, by out_refund_no, refund_id and order. */
export class Refunds {
    private readonly byOutRefundNo = new Map<string, Refund>();
    private readonly byRefundId = new Map<string, Refund>();
    private readonly byOrder = new Map<string, Refund[]>();

    find(outRefundNo: string): Refund | undefined {
        return this.byOutRefundNo.get(outRefundNo);
    }

    findById(refundId: string): Refund | undefined {
        return this.byRefundId.get(refundId);
    }

    /** The order's refunds, oldest first. */
    ofOrder(order: Order): readonly Refund[] {
        return this.byOrder.get(order.outTradeNo) ?? [];
    }

    /** What may still be refunded: the paid total less every refund that did not close. */
    refundable(order: Order): number {
        const taken = this.ofOrder(order).filter((refund) => refund.status !== 'REFUNDCLOSE').reduce((sum, refund) => sum + refund.refundFee, 0);
        return order.totalFee - taken;
    }

    create(input: NewRefund, now = new Date()): Refund {
        const refundId = newRefundId(now);
        const refund: Refund = { ...input, outRefundNo: input.outRefundNo ?? refundId, refundId, requestedAt: now, status: 'PROCESSING' };
        this.byOutRefundNo.set(refund.outRefundNo, refund);
        this.byRefundId.set(refundId, refund);
        this.byOrder.set(input.order.outTradeNo, [...this.ofOrder(input.order), refund]);
        return refund;
    }

    all(): Refund[] {
        return [...this.byRefundId.values()];
    }
}
