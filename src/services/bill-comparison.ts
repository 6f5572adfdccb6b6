import type { BillEntry } from '../wechat/pay-gateway';
import type { BookedRefund } from './refund-ledger';

/**
 * What a day's comparison can find. `missing_here`: WeChat took a payment our books do not
 * show as paid that day; `missing_at_wechat`: we show a payment WeChat's bill does not list;
 * `amount_mismatch`: both list it, with different total_fee. The same three for refunds.
 */
export const DISCREPANCY_KINDS = ['missing_here', 'missing_at_wechat', 'amount_mismatch', 'refund_missing_here', 'refund_missing_at_wechat', 'refund_amount_mismatch'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export interface Discrepancy {
    readonly kind: DiscrepancyKind;
    readonly outTradeNo: string;
    /** Refund kinds only. */
    readonly outRefundNo?: string;
    /** In fen: what WeChat's bill says, and what our books say, where each lists it. */
    readonly wechatFee?: number;
    readonly ourFee?: number;
    /** `missing_here` only: the order was checked with orderquery and is now paid here. */
    readonly healed?: boolean;
}

/** A payment as our books hold it: an order paid on the day. */
export interface BookedPayment {
    readonly outTradeNo: string;
    readonly totalFee: number;
}

/**
 * A day's bill compared with our books as the bill streams by: our payments and refunds of the
 * day are booked first (only what matching needs: a key and an amount each), then each entry of
 * the bill is checked as it comes, and what the bill never listed is what is left over. Memory
 * grows with our day's trades, never with the bill's text. Payments match by out_trade_no,
 * refunds by out_refund_no.
 */
export class DayComparison {
    private readonly ourPayments = new Map<string, number>();
    private readonly ourRefunds = new Map<string, BookedRefund>();
    private readonly paymentsFound: Discrepancy[] = [];
    private readonly refundsFound: Discrepancy[] = [];
    private counts = { billPayments: 0, billRefunds: 0, ourPayments: 0, ourRefunds: 0 };
    private billing = false;

    /** One of our payments of the day: before any entry of the bill. */
    bookPayment({ outTradeNo, totalFee }: BookedPayment): void {
        this.assertBooking();
        this.ourPayments.set(outTradeNo, totalFee);
        this.counts.ourPayments += 1;
    }

    /** One of our refunds of the day: before any entry of the bill. */
    bookRefund(refund: BookedRefund): void {
        this.assertBooking();
        this.ourRefunds.set(refund.outRefundNo, refund);
        this.counts.ourRefunds += 1;
    }

    /** One entry of the bill, matched with what is booked. */
    bill(entry: BillEntry): void {
        this.billing = true;
        if (entry.kind === 'payment') {
            this.counts.billPayments += 1;
            const ourFee = this.ourPayments.get(entry.outTradeNo);
            this.ourPayments.delete(entry.outTradeNo);
            if (ourFee !== entry.totalFee) {
                this.paymentsFound.push({ kind: ourFee === undefined ? 'missing_here' : 'amount_mismatch', outTradeNo: entry.outTradeNo, wechatFee: entry.totalFee, ourFee });
            }
            return;
        }
        this.counts.billRefunds += 1;
        const ours = this.ourRefunds.get(entry.outRefundNo);
        this.ourRefunds.delete(entry.outRefundNo);
        if (ours?.refundFee !== entry.refundFee) {
            this.refundsFound.push({
                kind: ours === undefined ? 'refund_missing_here' : 'refund_amount_mismatch',
                outTradeNo: entry.outTradeNo, outRefundNo: entry.outRefundNo, wechatFee: entry.refundFee, ourFee: ours?.refundFee,
            });
        }
    }

    /** How many each side listed. */
    get totals(): Readonly<{ billPayments: number; billRefunds: number; ourPayments: number; ourRefunds: number }> {
        return this.counts;
    }

    /**
     * Every way the two disagree, once the whole bill is read: payments (as the bill listed
     * them, then those it left out), then refunds the same way.
     */
    discrepancies(): Discrepancy[] {
        return [
            ...this.paymentsFound,
            ...[...this.ourPayments].map(([outTradeNo, ourFee]): Discrepancy => ({ kind: 'missing_at_wechat', outTradeNo, ourFee })),
            ...this.refundsFound,
            ...[...this.ourRefunds.values()].map(({ outTradeNo, outRefundNo, refundFee }): Discrepancy => ({ kind: 'refund_missing_at_wechat', outTradeNo, outRefundNo, ourFee: refundFee })),
        ];
    }

    private assertBooking(): void {
        if (this.billing) {
            throw new Error('DayComparison: our books are booked before the bill is read');
        }
    }
}
