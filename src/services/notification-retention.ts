import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { NotificationConfig } from '../config';
import type { Models } from '../models';
import { Periodic } from './periodic';

export interface PurgeReport {
    readonly expired: number;
    readonly overCap: number;
}

/**
 * Deliveries whose signature did not verify are anyone's to send: they are kept for a while
 * (to see an attack or a misconfiguration) and purged after the retention period, and beyond
 * a cap oldest first, so a flood costs bounded disk. Verified deliveries, including rejected
 * ones (a wrong amount, an unknown order), are the audit trail and are never purged.
 */
export class NotificationRetention {
    private readonly schedule: Periodic<PurgeReport>;

    constructor(
        private readonly models: Models,
        private readonly settings: NotificationConfig,
        private readonly logger: Logger,
    ) {
        this.schedule = new Periodic('notification purge', settings.purgeIntervalMs, (now) => this.purge(now), logger);
    }

    start(): void {
        this.schedule.start();
    }

    stop(): Promise<void> {
        return this.schedule.stop();
    }

    runOnce(now = new Date()): Promise<PurgeReport> {
        return this.schedule.runOnce(now);
    }

    private async purge(now: Date): Promise<PurgeReport> {
        const { PaymentNotification } = this.models;
        const unverified = { outcome: 'rejected', signatureValid: { [Op.not]: true } } as const;
        const expired = await PaymentNotification.destroy({
            where: { ...unverified, createdAt: { [Op.lt]: new Date(now.getTime() - this.settings.unverifiedRetentionHours * 3_600_000) } },
        });
        const oldestKept = await PaymentNotification.findOne({ where: unverified, attributes: ['id'], order: [['id', 'DESC']], offset: this.settings.unverifiedMaxRows - 1 });
        const overCap = oldestKept ? await PaymentNotification.destroy({ where: { ...unverified, id: { [Op.lt]: oldestKept.id } } }) : 0;
        if (expired + overCap > 0) {
            this.logger.info({ event: 'notifications.purged', expired, overCap }, 'unverified notification deliveries purged');
        }
        return { expired, overCap };
    }
}
