import Boom from '@hapi/boom';
import { Op } from 'sequelize';

import type { Models } from '../../models';
import type { ReconciliationStatus } from '../../models/reconciliation-report';
import type { Discrepancy } from '../bill-comparison';
import type { ReconciliationService } from '../reconciliation-service';
import { addBeijingDays, beijingDayOf } from '../../wechat/beijing-day';
import type { BeijingDay, BillEntry, BillLimits, PayGateway } from '../../wechat/pay-gateway';
import { toBeijingDateTime } from '../../wechat/time';
import { csvLine } from './csv';

/** A day of the calendar: its report's state, or why it has none. */
export type CalendarStatus = ReconciliationStatus | 'not_made' | 'bill_not_ready';

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
        private readonly limits: BillLimits,
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

    /**
     * WeChat's bill of `day` as CSV lines, in the bill's order, read as it downloads (a busy day's
     * bill is never held whole). 409 before it is ready; WeChat's refusal (or an unreachable WeChat)
     * fails here, before a line is handed out, so the caller can still answer with an error.
     */
    async billCsv(day: BeijingDay, now = new Date()): Promise<AsyncIterable<string>> {
        if (!this.reconciliation.billReady(day, now)) {
            throw Boom.conflict(`WeChat's bill of ${day} is not ready yet (from RECONCILE_BILL_HOUR, Beijing time, on ${addBeijingDays(day, 1)})`);
        }
        const entries = this.gateway.downloadBill(day, this.limits)[Symbol.asyncIterator]();
        const first = await entries.next();
        return billAsCsv(first, entries);
    }
}

async function* billAsCsv(first: IteratorResult<BillEntry>, rest: AsyncIterator<BillEntry>): AsyncGenerator<string> {
    yield `\uFEFF${csvLine(['kind', 'out_trade_no', 'transaction_id', 'out_refund_no', 'fee (fen)', 'paid_at (Beijing)'])}`;
    for (let next = first; next.done !== true; next = await rest.next()) {
        const entry = next.value;
        yield entry.kind === 'payment'
            ? csvLine(['payment', entry.outTradeNo, entry.transactionId, null, entry.totalFee, toBeijingDateTime(entry.paidAt)])
            : csvLine(['refund', entry.outTradeNo, null, entry.outRefundNo, entry.refundFee, null]);
    }
}

/** The Beijing month `date` falls in, YYYY-MM. */
export const beijingMonthOf = (date: Date) => beijingDayOf(date).slice(0, 7);
