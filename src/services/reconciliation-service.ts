import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op, UniqueConstraintError } from 'sequelize';

import type { ReconciliationConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, ReconciliationReport } from '../models';
import { REPORTED_STATUSES } from '../models/reconciliation-report';
import { addBeijingDays, startOfBeijingDay } from '../wechat/beijing-day';
import { WechatBillTooLargeError } from '../wechat/errors';
import type { BeijingDay, PayGateway } from '../wechat/pay-gateway';
import { DayComparison, type BookedPayment, type Discrepancy } from './bill-comparison';
import { OrderStatus, PAYMENT_TAKEN } from './order-states';
import type { PaymentService } from './payment-service';
import type { RefundLedger } from './refund-ledger';

/** Outlasts a bill download plus an orderquery for each payment it heals, on a bad day. */
const CLAIM_MS = 10 * 60_000;
/** Our paid orders of the day are read this many at a time: each page is a few milliseconds of the event loop. */
const PAGE = 2000;
/** A failed day waits this long before the daily job tries it again, doubling with each failure in a row… */
const FIRST_RETRY_MS = 5 * 60_000;
/** …up to this. */
const MAX_RETRY_MS = 6 * 60 * 60_000;
/** From this many failures in a row on, each failure of a day raises alert.reconciliation_failing. */
const FAILURES_BEFORE_ALERT = 3;
/** Failed days the daily job tries again in one run, the longest waiting first. */
const RETRIES_PER_RUN = 3;
/** Orders that were paid: a shipped, completed or refunded order's payment happened on its day too. */
const PAID_STATUSES = PAYMENT_TAKEN;
/** A payment WeChat took that our books miss is healed only from a state that can still become paid. */
const HEALABLE_STATUSES: readonly string[] = [OrderStatus.unpaid, OrderStatus.closed];

/** How an attempt at a day's report ended: the report, or the error that stopped it (recorded on the day's row). */
type Attempt = { readonly report: ReconciliationReport } | { readonly error: unknown };

/**
 * Compares one Beijing day of WeChat's bill with our books, once per day across instances:
 * the day's row (bill_date is unique) is inserted as a claim before WeChat is asked, so a second
 * instance finds it and waits its turn. The bill is read as it downloads and compared entry by
 * entry: memory grows with our day's orders (a key and an amount each), never with the bill's
 * text, whatever its size. A payment WeChat took that we miss
 * is healed the way a lost notification is (orderquery, then the settlement path), never from the
 * bill alone, and only once the whole bill has been read and checked. An attempt that fails leaves
 * the day `failed` with its cause and its count of failures in a row, for the daily job to try
 * again after a back-off that doubles; from the third failure in a row each one raises an alert.
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
        return this.models.ReconciliationReport.findOne({ where: { billDate: day, status: [...REPORTED_STATUSES] } });
    }

    /**
     * The day's stored report, or one made now (a failed day is tried at once, whatever its
     * back-off). 409 while WeChat's bill of the day is not ready (a bill asked for too early may
     * read "No Bill Exist" and would store a false agreement), or while another instance is
     * making it.
     */
    async reportFor(day: BeijingDay, now = new Date()): Promise<ReconciliationReport> {
        const stored = await this.stored(day);
        if (stored) {
            return stored;
        }
        if (!this.billReady(day, now)) {
            throw Boom.conflict(`WeChat's bill of ${day} is ready from ${this.settings.billReadyHour}:00 Beijing time on ${addBeijingDays(day, 1)}`);
        }
        const claimed = await this.claim(day, now, { afterBackoff: false });
        if (!claimed) {
            throw Boom.conflict(`the reconciliation of ${day} is being made; try again shortly`);
        }
        const attempt = await this.attempt(claimed, now);
        if ('error' in attempt) {
            throw attempt.error;
        }
        return attempt.report;
    }

    /**
     * The daily job's attempt at a day: the report made now, or undefined when it is not due
     * (made already, not ready, being made, or failed and still in its back-off) or when this
     * attempt failed (recorded and logged: the day is tried again later).
     */
    async attemptDue(day: BeijingDay, now: Date): Promise<ReconciliationReport | undefined> {
        if (!this.billReady(day, now) || await this.stored(day)) {
            return undefined;
        }
        const claimed = await this.claim(day, now, { afterBackoff: true });
        const attempt = claimed && await this.attempt(claimed, now);
        return attempt && 'report' in attempt ? attempt.report : undefined;
    }

    /** Failed days whose back-off is over, the longest waiting first. */
    async failedDaysDue(now: Date): Promise<BeijingDay[]> {
        const rows = await this.models.ReconciliationReport.findAll({
            where: { status: 'failed', nextAttemptAt: { [Op.lte]: now } },
            attributes: ['billDate'],
            order: [['nextAttemptAt', 'ASC']],
            limit: RETRIES_PER_RUN,
        });
        return rows.map((row) => row.billDate);
    }

    /** From billReadyHour on the day after `day`, Beijing time. */
    billReady(day: BeijingDay, now: Date): boolean {
        const nextDay = addBeijingDays(day, 1);
        return now.getTime() >= startOfBeijingDay(nextDay).getTime() + this.settings.billReadyHour * 3_600_000;
    }

    /**
     * The day's row, claimed by this instance: new, or taken over from an instance that died
     * while making it (its claim ran out), or from a failed attempt (by the daily job only once
     * its back-off is over). Undefined when another instance holds it.
     */
    private async claim(day: BeijingDay, now: Date, { afterBackoff }: { afterBackoff: boolean }): Promise<ReconciliationReport | undefined> {
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
        const taken = await updateWhere(Report, { status: 'running', claimedUntil }, {
            billDate: day,
            [Op.or]: [
                { status: 'running', claimedUntil: { [Op.lte]: now } },
                { status: 'failed', ...(afterBackoff ? { nextAttemptAt: { [Op.lte]: now } } : {}) },
            ],
        });
        return taken === 1 ? (await Report.findOne({ where: { billDate: day } }))! : undefined;
    }

    private async attempt(claimed: ReconciliationReport, now: Date): Promise<Attempt> {
        try {
            return { report: await this.make(claimed) };
        }
        catch (error) {
            await this.recordFailure(claimed, error, now).catch((recordError: Error) => {
                // The claim runs out and the day is taken over then.
                this.logger.error({ billDate: claimed.billDate, err: recordError.message }, 'reconciliation: the failed attempt could not be recorded');
            });
            return { error };
        }
    }

    private async make(report: ReconciliationReport): Promise<ReconciliationReport> {
        const day = report.billDate;
        const comparison = new DayComparison();
        for await (const page of this.paidOn(day)) {
            for (const payment of page) {
                comparison.bookPayment(payment);
            }
        }
        for (const refund of await this.refunds.refundsOn(day)) {
            comparison.bookRefund(refund);
        }
        for await (const entry of this.gateway.downloadBill(day, { maxBytes: this.settings.billMaxBytes })) {
            comparison.bill(entry);
        }
        // The whole bill is read and checked: only now is any of it acted on.
        const discrepancies: Discrepancy[] = [];
        for (const found of comparison.discrepancies()) {
            discrepancies.push(found.kind === 'missing_here' ? { ...found, healed: await this.heal(found.outTradeNo) } : found);
        }

        const values = {
            status: discrepancies.length === 0 ? 'agreed' : 'disagreed',
            claimedUntil: null,
            nextAttemptAt: null,
            ...comparison.totals,
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

    /**
     * The failed attempt on the day's row, if this instance still holds it (the count it
     * claimed with is still there): its cause, one more failure in a row, and when the daily
     * job may try again. Logged, and raised as an alert when the bill is too large to read or
     * the day has failed FAILURES_BEFORE_ALERT times in a row.
     */
    private async recordFailure(claimed: ReconciliationReport, error: unknown, now: Date): Promise<void> {
        const day = claimed.billDate;
        const failures = claimed.failures + 1;
        const cause = error instanceof Error ? error.message : String(error);
        const nextAttemptAt = new Date(now.getTime() + Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS));
        const recorded = await updateWhere(this.models.ReconciliationReport, { status: 'failed', claimedUntil: null, failures, lastError: cause.slice(0, 500), nextAttemptAt }, {
            id: claimed.id, status: 'running', failures: claimed.failures,
        });
        if (recorded !== 1) {
            return;
        }
        this.logger.warn({ event: 'reconciliation.failed', billDate: day, failures, nextAttemptAt, cause },
            `reconciliation of ${day} failed (${failures} in a row); the daily job tries again from ${nextAttemptAt.toISOString()}`);
        if (error instanceof WechatBillTooLargeError) {
            this.logger.error({ event: 'alert.bill_too_large', billDate: day, maxBytes: error.maxBytes },
                `ALERT: WeChat's bill of ${day} is larger than RECONCILE_BILL_MAX_BYTES (${error.maxBytes} bytes); raise it to reconcile the day`);
        }
        if (failures >= FAILURES_BEFORE_ALERT) {
            this.logger.error({ event: 'alert.reconciliation_failing', billDate: day, failures, cause, nextAttemptAt },
                `ALERT: reconciliation of ${day} failed ${failures} times in a row: ${cause}`);
        }
    }

    /**
     * The orders paid on the day, a page at a time: only what matching needs. Paged by id alone
     * so both databases walk the primary key from where the last page ended (linear in the rows
     * read); with `status` in the WHERE, SQLite took a status index and sorted the day's rows
     * again for every page. Orders have a paid_at only once paid; the status is checked here.
     */
    private async *paidOn(day: BeijingDay): AsyncGenerator<BookedPayment[]> {
        const during = { [Op.gte]: startOfBeijingDay(day), [Op.lt]: startOfBeijingDay(addBeijingDays(day, 1)) };
        for (let after = 0; ;) {
            const page = await this.models.Order.findAll({
                where: { id: { [Op.gt]: after }, paidAt: during },
                attributes: ['id', 'outTradeNo', 'totalFee', 'status'],
                order: [['id', 'ASC']],
                limit: PAGE,
                raw: true,
            });
            if (page.length === 0) {
                return;
            }
            yield page.filter((order) => PAID_STATUSES.includes(order.status));
            after = page.at(-1)!.id;
        }
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
