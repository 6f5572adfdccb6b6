import type { BeijingDay } from '../wechat/pay-gateway';

/** A refund as our books hold it. Money in fen. */
export interface BookedRefund {
    readonly outTradeNo: string;
    readonly outRefundNo: string;
    readonly refundFee: number;
}

/**
 * Our refunds as the daily reconciliation reads them: those WeChat's bill of `day` should
 * list (asked of WeChat on that Beijing day, and not refused by it).
 */
export interface RefundLedger {
    refundsOn(day: BeijingDay): Promise<readonly BookedRefund[]>;
}

/**
 * The ledger until this server stores refunds: it knows none, so every refund on WeChat's
 * bill (one made by hand in the merchant platform, say) is reported as missing here.
 */
export const NO_STORED_REFUNDS: RefundLedger = {
    refundsOn: async () => [],
};
