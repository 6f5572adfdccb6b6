import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { RefundConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, Refund } from '../models';
import { Periodic } from './periodic';
import type { RefundService } from './refund-service';

const BATCH = 50;

export interface RefundJobReport {
    readonly retried: number;
    readonly queried: number;
}

/**
 * Keeps processing refunds moving: asks WeChat again for those it has not accepted yet (same
 * out_refund_no, same amounts) once they are due, and checks with refundquery those accepted
 * over REFUND_QUERY_AFTER_MS ago, so a lost notification heals. A refund is due from the moment
 * it is stored (when its creator's claim lapses), so one whose creating request died is asked
 * again too. Each refund is claimed with a conditional UPDATE first, so instances side by side
 * never work one twice.
 */
export class RefundJob {
    private readonly schedule: Periodic<RefundJobReport>;

    constructor(
        private readonly models: Models,
        private readonly refunds: RefundService,
        private readonly config: RefundConfig,
        private readonly logger: Logger,
    ) {
        this.schedule = new Periodic('refunds', config.jobIntervalMs, (now) => this.run(now), logger);
    }

    start(): void {
        this.schedule.start();
    }

    stop(): Promise<void> {
        return this.schedule.stop();
    }

    runOnce(now = new Date()): Promise<RefundJobReport> {
        return this.schedule.runOnce(now);
    }

    private async run(now: Date): Promise<RefundJobReport> {
        const unclaimed = { [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }] };
        const due = await this.models.Refund.findAll({
            where: { status: 'processing', refundId: null, nextAttemptAt: { [Op.lte]: now }, ...unclaimed },
            order: [['nextAttemptAt', 'ASC']],
            limit: BATCH,
        });
        let retried = 0;
        for (const refund of due) {
            if (!(await this.claim(refund, now))) {
                continue;
            }
            retried += 1;
            try {
                await this.refunds.attempt(refund, {}, now);
            }
            catch (error) {
                // It stays due: the claim lapses and a later run asks again.
                this.logger.warn({ outRefundNo: refund.outRefundNo, err: (error as Error).message }, 'refund left for a later run');
            }
        }
        const stale = await this.models.Refund.findAll({
            where: { status: 'processing', refundId: { [Op.ne]: null }, acceptedAt: { [Op.lte]: new Date(now.getTime() - this.config.queryAfterMs) } },
            order: [['queriedAt', 'ASC'], ['id', 'ASC']],
            limit: BATCH,
        });
        let queried = 0;
        for (const refund of stale) {
            // refresh's own throttle (queried_at) is the multi-instance claim here.
            queried += (await this.refunds.refresh(refund, this.config.queryThrottleMs, now)) ? 1 : 0;
        }
        return { retried, queried };
    }

    /** Judged against the row as read: one another run worked meanwhile (its attempts or next_attempt_at moved) is left to its next turn. */
    private async claim(refund: Refund, now: Date): Promise<boolean> {
        return await updateWhere(this.models.Refund, { claimedUntil: new Date(now.getTime() + this.refunds.claimMs) }, {
            id: refund.id, status: 'processing', refundId: null, attempts: refund.attempts, nextAttemptAt: { [Op.lte]: now },
            [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }],
        }) === 1;
    }
}
