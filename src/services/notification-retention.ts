import type { Logger } from 'pino';
import { Op, type Model, type ModelStatic, type WhereOptions } from 'sequelize';

import type { NotificationConfig } from '../config';
import type { Models } from '../models';
import { Periodic } from './periodic';

export interface PurgeReport {
    readonly expired: number;
    readonly overCap: number;
}

/**
 * Deliveries that did not verify (a payment notification's signature, a refund notification's
 * req_info) are anyone's to send: they are kept for a while
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
        const { PaymentNotification, RefundNotification } = this.models;
        const cutoff = new Date(now.getTime() - this.settings.unverifiedRetentionHours * 3_600_000);
        const reports = [
            // A payment notification whose signature did not verify.
            await this.purgeOf(PaymentNotification, { outcome: 'rejected', signatureValid: { [Op.not]: true } }, cutoff),
            // A refund notification whose req_info did not decrypt with our key.
            await this.purgeOf(RefundNotification, { decrypted: false }, cutoff),
        ];
        const report = { expired: reports.reduce((sum, one) => sum + one.expired, 0), overCap: reports.reduce((sum, one) => sum + one.overCap, 0) };
        if (report.expired + report.overCap > 0) {
            this.logger.info({ event: 'notifications.purged', ...report }, 'unverified notification deliveries purged');
        }
        return report;
    }

    /** Past the retention period, then beyond the cap (oldest first), of one table's unverified deliveries. */
    private async purgeOf(model: ModelStatic<Model & { id: number }>, unverified: WhereOptions, cutoff: Date): Promise<PurgeReport> {
        const expired = await model.destroy({ where: { ...unverified, createdAt: { [Op.lt]: cutoff } } });
        const oldestKept = await model.findOne({ where: unverified, attributes: ['id'], order: [['id', 'DESC']], offset: this.settings.unverifiedMaxRows - 1 });
        const overCap = oldestKept ? await model.destroy({ where: { ...unverified, id: { [Op.lt]: oldestKept.id } } }) : 0;
        return { expired, overCap };
    }
}
