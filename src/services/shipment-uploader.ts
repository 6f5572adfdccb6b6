import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { ShippingConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, Shipment } from '../models';
import { WechatApiRefusal } from '../wechat/errors';
import { shippingFailureOf, type ShippingFailure } from '../wechat/shipping-errors';
import { Periodic } from './periodic';
import type { WxShippingService } from './wx-shipping-service';

const BATCH = 50;
/** Retries back off from SHIPPING_UPLOAD_RETRY_MS, doubling, to at most this. */
const MAX_RETRY_DELAY_MS = 3_600_000;

export interface UploadReport {
    readonly examined: number;
    readonly uploaded: number;
    readonly retrying: number;
    readonly failed: number;
}

/**
 * Uploads stored shipments to WeChat until it accepts them: each due `pending` shipment is
 * claimed with a conditional UPDATE (instances side by side never upload one twice at once),
 * uploaded, and marked `uploaded`, retried later (busy, unreachable, stale token) or `failed`
 * (WeChat refused it for good, with its errcode and our reading of it).
 */
export class ShipmentUploader {
    private readonly schedule: Periodic<UploadReport>;
    private readonly claimMs: number;
    /** Uploads started by uploadSoon, awaited by stop() so the database is not closed under them. */
    private readonly inFlight = new Set<Promise<unknown>>();

    constructor(
        private readonly models: Models,
        private readonly shipping: WxShippingService,
        private readonly config: ShippingConfig,
        httpTimeoutMs: number,
        private readonly logger: Logger,
    ) {
        // A token fetch, an upload, and its one retry after a stale token, with room to spare.
        this.claimMs = 4 * httpTimeoutMs;
        this.schedule = new Periodic('shipment upload', config.uploadIntervalMs, (now) => this.run(now), logger);
    }

    start(): void {
        this.schedule.start();
    }

    async stop(): Promise<void> {
        await this.schedule.stop();
        await Promise.all(this.inFlight);
    }

    runOnce(now = new Date()): Promise<UploadReport> {
        return this.schedule.runOnce(now);
    }

    /** Tries one shipment now (just stored or corrected), without waiting for the schedule. */
    uploadSoon(shipmentId: number): void {
        const upload = this.uploadIfDue(shipmentId, new Date())
            .catch((error: Error) => this.logger.warn({ shipmentId, err: error.message }, 'shipment upload left for the next run'))
            .finally(() => this.inFlight.delete(upload));
        this.inFlight.add(upload);
    }

    private async run(now: Date): Promise<UploadReport> {
        const due = await this.models.Shipment.findAll({
            where: { uploadState: 'pending', nextAttemptAt: { [Op.lte]: now }, [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }] },
            attributes: ['id'],
            order: [['nextAttemptAt', 'ASC'], ['id', 'ASC']],
            limit: BATCH,
        });
        const report = { examined: 0, uploaded: 0, retrying: 0, failed: 0 };
        for (const { id } of due) {
            const outcome = await this.uploadIfDue(id, now);
            if (outcome !== undefined) {
                report.examined += 1;
                report[outcome] += 1;
            }
        }
        if (report.examined > 0) {
            this.logger.info(report, 'shipment upload run');
        }
        return report;
    }

    /** The outcome, or undefined when another run holds the shipment (or it is not due). */
    private async uploadIfDue(shipmentId: number, now: Date): Promise<'uploaded' | 'retrying' | 'failed' | undefined> {
        if (!(await this.claim(shipmentId, now))) {
            return undefined;
        }
        const shipment = await this.models.Shipment.findByPk(shipmentId, {
            include: [{ model: this.models.Order, as: 'order', attributes: ['id', 'transactionId'], include: [{ model: this.models.User, as: 'user', attributes: ['openId'] }] }],
        });
        const order = (shipment as (Shipment & { order?: { transactionId: string | null; user?: { openId: string } } }) | null)?.order;
        if (!shipment || !order?.transactionId || !order.user) {
            throw new Error(`shipment ${shipmentId} has no paid order to upload`);
        }
        try {
            await this.shipping.upload({
                transactionId: order.transactionId,
                payerOpenId: order.user.openId,
                logisticsType: shipment.logisticsType,
                expressCompany: shipment.expressCompany,
                trackingNo: shipment.trackingNo,
                itemDesc: shipment.itemDesc,
                uploadedAt: now,
            });
        }
        catch (error) {
            const failure: ShippingFailure = error instanceof WechatApiRefusal ? shippingFailureOf(error.errcode) : { reason: `${(error as Error).message}; the upload is retried`, retryable: true };
            return this.recordFailure(shipment, error instanceof WechatApiRefusal ? error : undefined, failure, now);
        }
        return this.recordAccepted(shipment);
    }

    private async claim(shipmentId: number, now: Date): Promise<boolean> {
        const changed = await updateWhere(this.models.Shipment, { claimedUntil: new Date(now.getTime() + this.claimMs) }, {
            id: shipmentId, uploadState: 'pending', nextAttemptAt: { [Op.lte]: now }, [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lte]: now } }],
        });
        return changed === 1;
    }

    /**
     * WeChat counts every accepted upload; the shipment is `uploaded` only if the merchant did not
     * correct it meanwhile (the correction is then still pending, and will be WeChat's re-upload).
     */
    private async recordAccepted(shipment: Shipment): Promise<'uploaded' | 'retrying'> {
        const { Shipment: table, sequelize } = this.models;
        await updateWhere(table, { acceptedUploads: sequelize.literal('accepted_uploads + 1') as never }, { id: shipment.id });
        const marked = await updateWhere(table, {
            uploadState: 'uploaded', uploadedAt: new Date(), lastErrcode: null, lastErrmsg: null, failureReason: null, claimedUntil: null,
        }, { id: shipment.id, revision: shipment.revision });
        if (marked === 1) {
            return 'uploaded';
        }
        await updateWhere(table, { claimedUntil: null }, { id: shipment.id });
        return 'retrying';
    }

    private async recordFailure(shipment: Shipment, refusal: WechatApiRefusal | undefined, failure: ShippingFailure, now: Date): Promise<'retrying' | 'failed'> {
        const delay = Math.min(this.config.uploadRetryMs * 2 ** shipment.attempts, MAX_RETRY_DELAY_MS);
        const recorded = await updateWhere(this.models.Shipment, {
            uploadState: failure.retryable ? 'pending' : 'failed',
            attempts: shipment.attempts + 1,
            nextAttemptAt: new Date(now.getTime() + delay),
            lastErrcode: refusal?.errcode ?? null,
            lastErrmsg: refusal?.errmsg.slice(0, 255) ?? null,
            failureReason: failure.reason.slice(0, 255),
            claimedUntil: null,
        }, { id: shipment.id, revision: shipment.revision });
        if (recorded === 0) {
            // Corrected meanwhile: the correction is pending and due now.
            await updateWhere(this.models.Shipment, { claimedUntil: null }, { id: shipment.id });
        }
        this.logger.warn({ shipmentId: shipment.id, errcode: refusal?.errcode, reason: failure.reason }, failure.retryable ? 'shipment upload will be retried' : 'shipment upload refused by WeChat');
        return failure.retryable ? 'retrying' : 'failed';
    }
}
