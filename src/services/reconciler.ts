import { Op } from 'sequelize';
import type { Logger } from 'pino';

import type { PayConfig } from '../config';
import type { Models, Order } from '../models';
import type { OrderSettlement } from './order-settlement';
import type { PaymentService } from './payment-service';

/** A prepay younger than this may still be on the payer's screen; WeChat's notification usually beats it. */
const MIN_PREPAY_AGE_MS = 60_000;
/** How long a claim on an order lasts: longer than one orderquery plus closeorder can take. */
const CLAIM_MS = 60_000;
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
 */
export class Reconciler {
    private timer: NodeJS.Timeout | undefined;
    private running: Promise<ReconcileReport> | undefined;

    constructor(
        private readonly models: Models,
        private readonly payments: PaymentService,
        private readonly settlement: OrderSettlement,
        private readonly pay: PayConfig,
        private readonly logger: Logger,
    ) {}

    start(): void {
        if (this.pay.reconcileIntervalMs > 0 && !this.timer) {
            this.timer = setInterval(() => void this.runOnce().catch((error: Error) => this.logger.error({ err: error.message }, 'reconcile run failed')),
                this.pay.reconcileIntervalMs);
            this.timer.unref();
        }
    }

    /** Stops the schedule and waits for a run in progress. */
    async stop(): Promise<void> {
        clearInterval(this.timer);
        this.timer = undefined;
        await this.running?.catch(() => undefined);
    }

    runOnce(now = new Date()): Promise<ReconcileReport> {
        this.running ??= this.run(now).finally(() => {
            this.running = undefined;
        });
        return this.running;
    }

    private async run(now: Date): Promise<ReconcileReport> {
        const candidates = await this.models.Order.findAll({
            where: {
                status: 'unpaid',
                [Op.and]: [
                    { [Op.or]: [{ prepayAt: { [Op.lte]: new Date(now.getTime() - MIN_PREPAY_AGE_MS) } }, { expiresAt: { [Op.lte]: now } }] },
                    { [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }] },
                ],
            },
            attributes: ['id', 'outTradeNo', 'totalFee', 'prepayId', 'expiresAt'],
            order: [['id', 'ASC']],
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
        }
        else if (order.expiresAt > now) {
            return 'unchanged';
        }
        return (await this.settlement.settleClosed(order.id)) ? 'closed' : 'unchanged';
    }

    private async claim(orderId: number, now: Date): Promise<boolean> {
        const [changed] = await this.models.Order.update({ claimedUntil: new Date(now.getTime() + CLAIM_MS) }, {
            where: { id: orderId, status: 'unpaid', [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }] },
        });
        return changed === 1;
    }
}
