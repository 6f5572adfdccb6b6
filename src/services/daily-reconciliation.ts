import type { Logger } from 'pino';

import type { ReconciliationReport } from '../models';
import { addBeijingDays, beijingDayOf } from '../wechat/beijing-day';
import { Periodic } from './periodic';
import type { ReconciliationService } from './reconciliation-service';

/** How often the job looks whether a report is due: a failed day waits its back-off besides (ReconciliationService). */
const CHECK_INTERVAL_MS = 5 * 60_000;

/**
 * Yesterday's reconciliation, made once the bill is ready (RECONCILE_BILL_HOUR, Beijing time),
 * and every failed day's again once its back-off is over, whatever day it is now. Every instance
 * may run it: the report's claim lets one make it, and the others find it made.
 */
export class DailyReconciliation {
    private readonly schedule: Periodic<ReconciliationReport | undefined>;

    constructor(
        private readonly reconciliation: ReconciliationService,
        enabled: boolean,
        logger: Logger,
    ) {
        this.schedule = new Periodic('daily reconciliation', enabled ? CHECK_INTERVAL_MS : 0, (now) => this.run(now), logger);
    }

    start(): void {
        this.schedule.start();
    }

    stop(): Promise<void> {
        return this.schedule.stop();
    }

    /**
     * Yesterday's report when this run made it; undefined before the bill hour, when it was made
     * already or is being made, and when this attempt failed (recorded, logged, tried again later).
     */
    runOnce(now = new Date()): Promise<ReconciliationReport | undefined> {
        return this.schedule.runOnce(now);
    }

    private async run(now: Date): Promise<ReconciliationReport | undefined> {
        // Yesterday's bill is ready from the bill hour today: attemptDue waits for it.
        const made = await this.reconciliation.attemptDue(addBeijingDays(beijingDayOf(now), -1), now);
        for (const day of await this.reconciliation.failedDaysDue(now)) {
            await this.reconciliation.attemptDue(day, now);
        }
        return made;
    }
}
