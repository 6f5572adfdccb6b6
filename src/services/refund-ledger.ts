import { Op } from 'sequelize';

import type { Models } from '../models';
import { addBeijingDays, startOfBeijingDay } from '../wechat/beijing-day';
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
 * The refunds table as the ledger: WeChat's bill lists a refund on the day WeChat accepted it
 * (a refund recorded from a notification, made by hand in the merchant platform, on the day it
 * was recorded), unless WeChat refused it.
 */
export class StoredRefundLedger implements RefundLedger {
    constructor(private readonly models: Models) {}

    async refundsOn(day: BeijingDay): Promise<readonly BookedRefund[]> {
        const during = { [Op.gte]: startOfBeijingDay(day), [Op.lt]: startOfBeijingDay(addBeijingDays(day, 1)) };
        const refunds = await this.models.Refund.findAll({
            // Refused by WeChat, or never asked (awaiting approval, or its approval declined): not on any bill.
            where: { status: { [Op.notIn]: ['failed', 'pending_approval', 'cancelled'] }, [Op.or]: [{ acceptedAt: during }, { acceptedAt: null, createdAt: during }] },
            attributes: ['outRefundNo', 'refundFee'],
            include: [{ model: this.models.Order, as: 'order', attributes: ['outTradeNo'] }],
        });
        return refunds.map((refund) => ({ outTradeNo: refund.order!.outTradeNo, outRefundNo: refund.outRefundNo, refundFee: refund.refundFee }));
    }
}
