import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { ShippingConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, Shipment } from '../models';
import { describeTokenRefusal } from '../wechat/access-token-errors';
import { WechatApiRefusal, type WechatError } from '../wechat/errors';
import { shippingFailureOf, type ShippingFailure } from '../wechat/shipping-errors';
import { Periodic } from './periodic';
import { isAccessTokenFailure } from './wx-access-token';
import type { WxShippingService } from './wx-shipping-service';

const BATCH = 50;
/** Retries back off from SHIPPING_UPLOAD_RETRY_MS, doubling, to at most this. */
const MAX_RETRY_DELAY_MS = 3_600_000;
/**
 * Without a token, uploads wait from SHIPPING_UPLOAD_RETRY_MS, doubling, to at most this: once
 * the setting or the whitelist is fixed, every held shipment goes within a minute.
 */
const MAX_TOKEN_HOLD_MS = 60_000;
const UPLOAD_API = 'upload_shipping_info';

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
 * (upload_shipping_info refused it for good, with its errcode and our reading of it). When no
 * access token can be had, uploads are held, all of them, pending: the problem is this server's,
 * not a shipment's. The hold backs off, and lifts by itself once a token comes.
 */
export class ShipmentUploader {
    private readonly schedule: Periodic<UploadReport>;
    private readonly claimMs: number;
    /** Uploads started by uploadSoon, awaited by stop() so the database is not closed under them. */
    private readonly inFlight = new Set<Promise<unknown>>();
    /** Consecutive failures to get a token, and until when (ms) no upload is tried in this process. */
    private tokenHold = { failures: 0, until: 0 };

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
        if (this.holding(now)) {
            return { examined: 0, uploaded: 0, retrying: 0, failed: 0 };
        }
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

    /** The outcome, or undefined when another run holds the shipment, it is not due, or uploads wait for a token. */
    private async uploadIfDue(shipmentId: number, now: Date): Promise<'uploaded' | 'retrying' | 'failed' | undefined> {
        if (this.holding(now) || !(await this.claim(shipmentId, now))) {
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
            if (isAccessTokenFailure(error)) {
                return this.holdForToken(shipment, error, now);
            }
            this.liftTokenHold();
            // Only the upload's own errcodes can fail a shipment for good.
            const refusal = error instanceof WechatApiRefusal && error.api === UPLOAD_API ? error : undefined;
            const failure: ShippingFailure = refusal ? shippingFailureOf(refusal.errcode) : { reason: `${(error as Error).message}; the upload is retried`, retryable: true };
            return this.recordFailure(shipment, refusal, failure, now);
        }
        this.liftTokenHold();
        return this.recordAccepted(shipment);
    }

    private holding(now: Date): boolean {
        return now.getTime() < this.tokenHold.until;
    }

    /**
     * No token: this shipment stays pending with the reason, its own attempts untouched, and every
     * upload in this process waits until the hold ends (one stable_token call per hold, not one per
     * shipment); the hold doubles while the token stays refused. WxAccessTokens raised the alert.
     */
    private async holdForToken(shipment: Shipment, error: WechatError, now: Date): Promise<'retrying'> {
        const failures = this.tokenHold.failures + 1;
        const holdMs = Math.min(this.config.uploadRetryMs * 2 ** (failures - 1), MAX_TOKEN_HOLD_MS);
        this.tokenHold = { failures, until: now.getTime() + holdMs };
        const refusal = error instanceof WechatApiRefusal ? error : undefined;
        await this.record(shipment, {
            nextAttemptAt: new Date(this.tokenHold.until),
            lastErrcode: refusal?.errcode ?? null,
            lastErrmsg: refusal?.errmsg.slice(0, 255) ?? null,
            failureReason: `no access token, the upload waits for one: ${refusal ? describeTokenRefusal(refusal.errcode) : error.message}`.slice(0, 255),
        });
        this.logger.warn({ shipmentId: shipment.id, errcode: refusal?.errcode, holdMs }, 'shipment uploads wait for an access token');
        return 'retrying';
    }

    private liftTokenHold(): void {
        if (this.tokenHold.failures > 0) {
            this.logger.info({ failures: this.tokenHold.failures }, 'an access token came again: held shipment uploads go on');
            this.tokenHold = { failures: 0, until: 0 };
        }
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
        await this.record(shipment, {
            uploadState: failure.retryable ? 'pending' : 'failed',
            attempts: shipment.attempts + 1,
            nextAttemptAt: new Date(now.getTime() + delay),
            lastErrcode: refusal?.errcode ?? null,
            lastErrmsg: refusal?.errmsg.slice(0, 255) ?? null,
            failureReason: failure.reason.slice(0, 255),
        });
        this.logger.warn({ shipmentId: shipment.id, errcode: refusal?.errcode, reason: failure.reason }, failure.retryable ? 'shipment upload will be retried' : 'shipment upload refused by WeChat');
        return failure.retryable ? 'retrying' : 'failed';
    }

    /** Writes an attempt's outcome and lets the shipment go, unless it was corrected meanwhile (then the correction is pending and due now). */
    private async record(shipment: Shipment, values: Partial<Shipment['_attributes']>): Promise<void> {
        const recorded = await updateWhere(this.models.Shipment, { ...values, claimedUntil: null }, { id: shipment.id, revision: shipment.revision });
        if (recorded === 0) {
            await updateWhere(this.models.Shipment, { claimedUntil: null }, { id: shipment.id });
        }
    }
}
