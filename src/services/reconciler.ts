import { Op } from 'sequelize';
import type { Logger } from 'pino';

import type { PayConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, Order } from '../models';
import type { OrderSettlement } from './order-settlement';
import { OrderStatus } from './order-states';
import type { PaymentService } from './payment-service';
import { Periodic } from './periodic';

/** A prepay younger than this may still be on the payer's screen; WeChat's notification usually beats it. */
const MIN_PREPAY_AGE_MS = 60_000;
/** A claim outlasts one orderquery plus closeorder by this much, and the next run by as much again. */
const CLAIM_MARGIN_MS = 60_000;
const BATCH = 50;

export interface ReconcileReport {
    readonly examined: number;
    readonly paid: number;
    readonly closed: number;
    readonly failed: number;
}

/**
 * Heals what notifications missed: asks WeChat about unpaid orders whose prepay is over a
 * minute old, and closes those past their lifetime. Each order is claimed with a conditional
 * UPDATE before it is worked, so instances running side by side never work one order twice.
 * A claim outlasts the interval and each run takes the least recently examined first, so
 * every candidate is reached within (candidates ÷ batch) runs, however many never change.
 */
export class Reconciler {
    private readonly claimMs: number;
    private readonly schedule: Periodic<ReconcileReport>;

    constructor(
        private readonly models: Models,
        private readonly payments: PaymentService,
        private readonly settlement: OrderSettlement,
        pay: PayConfig,
        private readonly logger: Logger,
    ) {
        this.claimMs = pay.reconcileIntervalMs + CLAIM_MARGIN_MS;
        this.schedule = new Periodic('reconcile', pay.reconcileIntervalMs, (now) => this.run(now), logger);
    }

    start(): void {
        this.schedule.start();
    }

    /** Stops the schedule and waits for a run in progress. */
    stop(): Promise<void> {
        return this.schedule.stop();
    }

    runOnce(now = new Date()): Promise<ReconcileReport> {
        return this.schedule.runOnce(now);
    }

    private async run(now: Date): Promise<ReconcileReport> {
        const candidates = await this.models.Order.findAll({
            where: {
                status: OrderStatus.unpaid,
                [Op.and]: [
                    { [Op.or]: [{ prepayAt: { [Op.lte]: new Date(now.getTime() - MIN_PREPAY_AGE_MS) } }, { expiresAt: { [Op.lte]: now } }] },
                    { [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }] },
                ],
            },
            attributes: ['id', 'outTradeNo', 'totalFee', 'prepayId', 'expiresAt'],
            // Never examined first (NULL sorts first on SQLite and MySQL), then the longest ago.
            order: [['claimedUntil', 'ASC'], ['id', 'ASC']],
            limit: BATCH,
        });

        const report = { examined: 0, paid: 0, closed: 0, failed: 0 };
        for (const order of candidates) {
            if (!(await this.claim(order.id, now))) {
                continue;
            }
            report.examined += 1;
            try {
                const result = await this.work(order, now);
                if (result !== 'unchanged') {
                    report[result] += 1;
                }
            }
            catch (error) {
                report.failed += 1;
                this.logger.warn({ outTradeNo: order.outTradeNo, err: (error as Error).message }, 'reconcile: order left for the next run');
            }
        }
        if (report.examined > 0) {
            this.logger.info(report, 'reconcile run');
        }
        return report;
    }

    private async work(order: Order, now: Date): Promise<'paid' | 'closed' | 'unchanged'> {
        if (order.prepayId) {
            const result = await this.payments.queryAndApply(order);
            if (result !== 'unchanged' || order.expiresAt > now) {
                return result;
            }
            const closing = await this.payments.closeAtWechat(order);
            if (closing !== 'closed') {
                return closing;
            }
            return (await this.settlement.closeConfirmed(order.id)) ? 'closed' : 'unchanged';
        }
        if (order.expiresAt > now) {
            return 'unchanged';
        }
        return (await this.settlement.closeWithoutPrepay(order.id)) ? 'closed' : 'unchanged';
    }

    private async claim(orderId: number, now: Date): Promise<boolean> {
        const changed = await updateWhere(this.models.Order, { claimedUntil: new Date(now.getTime() + this.claimMs) }, {
            id: orderId, status: OrderStatus.unpaid, [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }],
        });
        return changed === 1;
    }
}
