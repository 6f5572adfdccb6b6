import Boom from '@hapi/boom';
import { Op } from 'sequelize';

import type { Models } from '../../models';
import type { Discrepancy } from '../bill-comparison';
import type { ReconciliationService } from '../reconciliation-service';
import { addBeijingDays, beijingDayOf } from '../../wechat/beijing-day';
import type { BeijingDay, DayBill, PayGateway } from '../../wechat/pay-gateway';
import { toBeijingDateTime } from '../../wechat/time';
import { csvLine } from './csv';

/** A day of the calendar: its report's state, or why it has none. */
export type CalendarStatus = 'agreed' | 'disagreed' | 'running' | 'not_made' | 'bill_not_ready';

export interface CalendarDay {
    readonly day: BeijingDay;
    readonly status: CalendarStatus;
    readonly discrepancies: number;
    /** Of those, payments WeChat took that our books missed and orderquery healed. */
    readonly healed: number;
    readonly madeAt: Date | null;
}

/** A month of reconciliation reports for the console's calendar, and WeChat's bill of a day as CSV. */
export class ReconciliationCalendar {
    constructor(
        private readonly models: Models,
        private readonly reconciliation: ReconciliationService,
        private readonly gateway: Pick<PayGateway, 'downloadBill'>,
    ) {}

    /** Every day of `month` (YYYY-MM), in order. */
    async month(month: string, now = new Date()): Promise<CalendarDay[]> {
        const first = `${month}-01`;
        const days: BeijingDay[] = [];
        for (let day = first; day.startsWith(month); day = addBeijingDays(day, 1)) {
            days.push(day);
        }
        const reports = await this.models.ReconciliationReport.findAll({
            where: { billDate: { [Op.gte]: first, [Op.lte]: days.at(-1)! } },
            attributes: ['billDate', 'status', 'discrepancyCount', 'discrepancies', 'updatedAt'],
        });
        const byDay = new Map(reports.map((report) => [report.billDate, report]));
        return days.map((day) => {
            const report = byDay.get(day);
            if (report === undefined) {
                return { day, status: this.reconciliation.billReady(day, now) ? 'not_made' : 'bill_not_ready', discrepancies: 0, healed: 0, madeAt: null };
            }
            const healed = (JSON.parse(report.discrepancies) as Discrepancy[]).filter((found) => found.healed === true).length;
            return { day, status: report.status, discrepancies: report.discrepancyCount, healed, madeAt: report.status === 'running' ? null : report.updatedAt };
        });
    }

    /** WeChat's bill of `day`, payments then refunds, as CSV. 409 before it is ready. */
    async billCsv(day: BeijingDay, now = new Date()): Promise<string> {
        if (!this.reconciliation.billReady(day, now)) {
            throw Boom.conflict(`WeChat's bill of ${day} is not ready yet (from RECONCILE_BILL_HOUR, Beijing time, on ${addBeijingDays(day, 1)})`);
        }
        return billAsCsv(await this.gateway.downloadBill(day));
    }
}

function billAsCsv(bill: DayBill): string {
    const lines = [csvLine(['kind', 'out_trade_no', 'transaction_id', 'out_refund_no', 'fee (fen)', 'paid_at (Beijing)'])];
    for (const payment of bill.payments) {
        lines.push(csvLine(['payment', payment.outTradeNo, payment.transactionId, null, payment.totalFee, toBeijingDateTime(payment.paidAt)]));
    }
    for (const refund of bill.refunds) {
        lines.push(csvLine(['refund', refund.outTradeNo, null, refund.outRefundNo, refund.refundFee, null]));
    }
    return `\uFEFF${lines.join('')}`;
}

/** The Beijing month `date` falls in, YYYY-MM. */
export const beijingMonthOf = (date: Date) => beijingDayOf(date).slice(0, 7);
