import Boom from '@hapi/boom';
import type { Logger } from 'pino';

import type { ReconciliationReport } from '../models';
import { addBeijingDays, beijingDayOf } from '../wechat/beijing-day';
import { Periodic } from './periodic';
import type { ReconciliationService } from './reconciliation-service';

/** How often the job looks whether yesterday's report is due: a failed run is retried this soon. */
const CHECK_INTERVAL_MS = 5 * 60_000;

/**
 * Yesterday's reconciliation, made once the bill is ready (RECONCILE_BILL_HOUR, Beijing time).
 * Every instance may run it: the report's claim lets one make it, and the others find it made.
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

    /** Yesterday's report when this run made it; undefined before the bill hour, when it was made already, or is being made. */
    runOnce(now = new Date()): Promise<ReconciliationReport | undefined> {
        return this.schedule.runOnce(now);
    }

    private async run(now: Date): Promise<ReconciliationReport | undefined> {
        if (!this.reconciliation.isBillHour(now)) {
            return undefined;
        }
        const yesterday = addBeijingDays(beijingDayOf(now), -1);
        if (await this.reconciliation.stored(yesterday)) {
            return undefined;
        }
        try {
            return await this.reconciliation.reportFor(yesterday, now);
        }
        catch (error) {
            if (Boom.isBoom(error, 409)) {
                return undefined;
            }
            throw error;
        }
    }
}
