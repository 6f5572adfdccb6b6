import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op, UniqueConstraintError } from 'sequelize';

import type { ReconciliationConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, ReconciliationReport } from '../models';
import { addBeijingDays, beijingHour, startOfBeijingDay } from '../wechat/beijing-day';
import type { BeijingDay, PayGateway } from '../wechat/pay-gateway';
import { compareDay, type BookedPayment, type Discrepancy } from './bill-comparison';
import { OrderStatus, PAYMENT_TAKEN } from './order-states';
import type { PaymentService } from './payment-service';
import type { RefundLedger } from './refund-ledger';

/** Outlasts a bill download plus an orderquery for each payment it heals, on a bad day. */
const CLAIM_MS = 10 * 60_000;
/** Orders that were paid: a shipped, completed or refunded order's payment happened on its day too. */
const PAID_STATUSES = PAYMENT_TAKEN;
/** A payment WeChat took that our books miss is healed only from a state that can still become paid. */
const HEALABLE_STATUSES: readonly string[] = [OrderStatus.unpaid, OrderStatus.closed];

/**
 * Compares one Beijing day of WeChat's bill with our books, once per day across instances:
 * the day's row (bill_date is unique) is inserted as a claim before WeChat is asked, so a second
 * instance finds it and waits its turn. A payment WeChat took that we miss is healed the way a
 * lost notification is (orderquery, then the settlement path), never from the bill alone.
 */
export class ReconciliationService {
    constructor(
        private readonly models: Models,
        private readonly gateway: PayGateway,
        private readonly payments: Pick<PaymentService, 'queryAndApply'>,
        private readonly refunds: RefundLedger,
        private readonly settings: ReconciliationConfig,
        private readonly logger: Logger,
    ) {}

    /** The day's finished report, or null. */
    async stored(day: BeijingDay): Promise<ReconciliationReport | null> {
        return this.models.ReconciliationReport.findOne({ where: { billDate: day, status: { [Op.ne]: 'running' } } });
    }

    /**
     * The day's stored report, or one made now. 409 while WeChat's bill of the day is not ready
     * (a bill asked for too early may read "No Bill Exist" and would store a false agreement),
     * or while another instance is making it.
     */
    async reportFor(day: BeijingDay, now = new Date()): Promise<ReconciliationReport> {
        const stored = await this.stored(day);
        if (stored) {
            return stored;
        }
        if (!this.billReady(day, now)) {
            throw Boom.conflict(`WeChat's bill of ${day} is ready from ${this.settings.billReadyHour}:00 Beijing time on ${addBeijingDays(day, 1)}`);
        }
        const claimed = await this.claim(day, now);
        if (!claimed) {
            throw Boom.conflict(`the reconciliation of ${day} is being made; try again shortly`);
        }
        try {
            return await this.make(claimed);
        }
        catch (error) {
            // Let the next attempt (this instance's or another's) start afresh.
            await this.models.ReconciliationReport.destroy({ where: { id: claimed.id, status: 'running' } });
            throw error;
        }
    }

    /** From billReadyHour on the day after `day`, Beijing time. */
    billReady(day: BeijingDay, now: Date): boolean {
        const nextDay = addBeijingDays(day, 1);
        return now.getTime() >= startOfBeijingDay(nextDay).getTime() + this.settings.billReadyHour * 3_600_000;
    }

    /** Whether `now` is past the hour at which yesterday's bill is fetched. */
    isBillHour(now: Date): boolean {
        return beijingHour(now) >= this.settings.billReadyHour;
    }

    private async claim(day: BeijingDay, now: Date): Promise<ReconciliationReport | undefined> {
        const { ReconciliationReport: Report } = this.models;
        const claimedUntil = new Date(now.getTime() + CLAIM_MS);
        try {
            return await Report.create({ billDate: day, status: 'running', claimedUntil, discrepancies: '[]' });
        }
        catch (error) {
            if (!(error instanceof UniqueConstraintError)) {
                throw error;
            }
        }
        // An instance that died while making it left its claim to run out: take it over.
        const taken = await updateWhere(Report, { claimedUntil }, { billDate: day, status: 'running', claimedUntil: { [Op.lte]: now } });
        return taken === 1 ? (await Report.findOne({ where: { billDate: day } }))! : undefined;
    }

    private async make(report: ReconciliationReport): Promise<ReconciliationReport> {
        const day = report.billDate;
        const bill = await this.gateway.downloadBill(day);
        const ours = await this.paidOn(day);
        const ourRefunds = await this.refunds.refundsOn(day);
        const discrepancies: Discrepancy[] = [];
        for (const found of compareDay(bill, ours, ourRefunds)) {
            discrepancies.push(found.kind === 'missing_here' ? { ...found, healed: await this.heal(found.outTradeNo) } : found);
        }

        const values = {
            status: discrepancies.length === 0 ? 'agreed' : 'disagreed',
            claimedUntil: null,
            billPayments: bill.payments.length,
            billRefunds: bill.refunds.length,
            ourPayments: ours.length,
            ourRefunds: ourRefunds.length,
            discrepancyCount: discrepancies.length,
            discrepancies: JSON.stringify(discrepancies),
        } as const;
        const finished = await updateWhere(this.models.ReconciliationReport, values, { id: report.id, status: 'running' });
        if (finished === 1) {
            for (const discrepancy of discrepancies) {
                this.alert(day, discrepancy);
            }
            this.logger.info({ event: 'reconciliation.done', billDate: day, status: values.status, discrepancies: discrepancies.length }, `reconciliation of ${day}: ${values.status}`);
        }
        // When a slow run lost its claim, the instance that took over wrote the same day's result.
        return (await this.stored(day))!;
    }

    private async paidOn(day: BeijingDay): Promise<BookedPayment[]> {
        const start = startOfBeijingDay(day);
        return this.models.Order.findAll({
            where: { status: PAID_STATUSES, paidAt: { [Op.gte]: start, [Op.lt]: startOfBeijingDay(addBeijingDays(day, 1)) } },
            attributes: ['outTradeNo', 'totalFee'],
            raw: true,
        });
    }

    /** orderquery and the settlement path, as for a lost notification: true when the order is now paid. */
    private async heal(outTradeNo: string): Promise<boolean> {
        const order = await this.models.Order.findOne({ where: { outTradeNo }, attributes: ['id', 'outTradeNo', 'totalFee', 'status'] });
        if (!order || !HEALABLE_STATUSES.includes(order.status)) {
            return false;
        }
        try {
            return (await this.payments.queryAndApply(order)) === 'paid';
        }
        catch (error) {
            this.logger.warn({ outTradeNo, err: (error as Error).message }, 'reconciliation: orderquery failed; the payment stays missing here');
            return false;
        }
    }

    private alert(day: BeijingDay, { kind, outTradeNo, outRefundNo, wechatFee, ourFee, healed }: Discrepancy): void {
        this.logger.error({ event: 'alert.reconciliation', alert: kind, billDate: day, outTradeNo, outRefundNo, wechatFee, ourFee, healed },
            `ALERT: reconciliation of ${day}: ${kind} for ${outRefundNo ?? outTradeNo}${healed ? ' (healed through orderquery)' : ''}`);
    }
}
