import type { DayBill } from '../wechat/pay-gateway';
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

/** Every way the day's bill and our books disagree: payments by out_trade_no, refunds by out_refund_no. */
export function compareDay(bill: DayBill, payments: readonly BookedPayment[], refunds: readonly BookedRefund[]): Discrepancy[] {
    const paymentsFound = matchBy(bill.payments, payments, (entry) => entry.outTradeNo, (entry) => entry.totalFee);
    const refundsFound = matchBy(bill.refunds, refunds, (entry) => entry.outRefundNo, (entry) => entry.refundFee);
    return [
        ...paymentsFound.map(({ side, wechat, ours }) => ({
            kind: PAYMENT_KINDS[side], outTradeNo: (wechat ?? ours)!.outTradeNo, wechatFee: wechat?.totalFee, ourFee: ours?.totalFee,
        })),
        ...refundsFound.map(({ side, wechat, ours }) => ({
            kind: REFUND_KINDS[side], outTradeNo: (wechat ?? ours)!.outTradeNo, outRefundNo: (wechat ?? ours)!.outRefundNo, wechatFee: wechat?.refundFee, ourFee: ours?.refundFee,
        })),
    ];
}

type Side = 'wechat_only' | 'ours_only' | 'amounts_differ';
const PAYMENT_KINDS: Record<Side, DiscrepancyKind> = { wechat_only: 'missing_here', ours_only: 'missing_at_wechat', amounts_differ: 'amount_mismatch' };
const REFUND_KINDS: Record<Side, DiscrepancyKind> = { wechat_only: 'refund_missing_here', ours_only: 'refund_missing_at_wechat', amounts_differ: 'refund_amount_mismatch' };

interface Mismatch<W, O> {
    readonly side: Side;
    readonly wechat?: W;
    readonly ours?: O;
}

function matchBy<W, O>(wechat: readonly W[], ours: readonly O[], keyOf: (entry: W | O) => string, feeOf: (entry: W | O) => number): Array<Mismatch<W, O>> {
    const ourByKey = new Map(ours.map((entry) => [keyOf(entry), entry]));
    const billed = new Set(wechat.map(keyOf));
    const found: Array<Mismatch<W, O>> = [];
    for (const entry of wechat) {
        const mine = ourByKey.get(keyOf(entry));
        if (mine === undefined) {
            found.push({ side: 'wechat_only', wechat: entry });
        }
        else if (feeOf(mine) !== feeOf(entry)) {
            found.push({ side: 'amounts_differ', wechat: entry, ours: mine });
        }
    }
    for (const entry of ours) {
        if (!billed.has(keyOf(entry))) {
            found.push({ side: 'ours_only', ours: entry });
        }
    }
    return found;
}
