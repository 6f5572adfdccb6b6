import { randomBytes } from 'node:crypto';

import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';

import type { RefundConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, Order, Refund } from '../models';
import { REFUNDS_HOLDING_NOTHING } from '../models/refund';
import { WechatError, WechatTransportError } from '../wechat/errors';
import type { PayGateway, RefundState, WxRefund } from '../wechat/pay-gateway';
import { toBeijingCompact } from '../wechat/time';
import { applyTransition, canStart } from './order-states';

/** WeChat refunds one order at most 50 times. */
export const MAX_REFUNDS_PER_ORDER = 50;
/** A refund not yet accepted is asked again at the refund job's next run, then doubling per attempt up to an hour. */
const RETRY_MAX_MS = 60 * 60_000;

/** What WeChat's word about a refund did here: changed it, changed nothing new, or was refused. */
export type RefundApplication =
    | { readonly outcome: 'applied' | 'duplicate' }
    | { readonly outcome: 'rejected'; readonly reason: string };

export interface NewRefundOptions {
    /** The staff member asking (null: the API key); a refund that waits for approval is approved by someone else. */
    readonly requestedByStaffId?: number | null;
    readonly now?: Date;
}

/** The end states a refund may reach, and from where (abnormal: settled by hand later, either way). */
const SETTLES_FROM: Readonly<Record<Exclude<RefundState, 'processing'>, readonly RefundState[]>> = {
    succeeded: ['processing', 'abnormal'],
    failed: ['processing', 'abnormal'],
    abnormal: ['processing'],
};

/**
 * Refunds through WeChat Pay. A refund row is stored before WeChat is called, inside a
 * transaction holding the order's row (SELECT … FOR UPDATE on MySQL; SQLite's transactions are
 * queued), so two refunds of one order never both pass the "what is left" check. WeChat's
 * success means accepted: the refund stays processing until its notification or refundquery.
 * Retryable failures are asked again by the refund job with the same out_refund_no and amounts,
 * and so is a refund whose creating request died before WeChat's answer was recorded.
 */
export class RefundService {
    /**
     * How long one holder (the creating request, or a refund job run) may work a refund before
     * another may: a refundquery and a refund call, each cut off at WX_HTTP_TIMEOUT_MS, and 5 s
     * for the database. A holder that dies lets go when it lapses.
     */
    readonly claimMs: number;

    constructor(
        private readonly models: Models,
        private readonly gateway: PayGateway,
        private readonly config: RefundConfig,
        /** Whether a merchant certificate is loaded: without one WeChat refuses every refund. */
        private readonly hasCertificate: boolean,
        private readonly logger: Logger,
        wechatTimeoutMs: number,
    ) {
        this.claimMs = 2 * wechatTimeoutMs + 5000;
    }

    /**
     * A new refund of a paid order, asked of WeChat at once; 409 when the order cannot give
     * `refundFee` back. One of more than REFUND_APPROVAL_ABOVE_FEN is stored `pending_approval`
     * instead, due for no job, and WeChat is not asked until a second staff member approves it
     * (src/services/staff/refund-approvals.ts); meanwhile it counts against what is left.
     */
    async create(orderId: number, refundFee: number, reason: string | null, { requestedByStaffId = null, now = new Date() }: NewRefundOptions = {}): Promise<Refund> {
        if (!this.hasCertificate) {
            throw Boom.notImplemented('refunds need the merchant certificate: set WX_PAY_CERT_P12 (or WX_PAY_CERT_PEM and WX_PAY_KEY_PEM)');
        }
        const held = this.config.approvalAboveFen > 0 && refundFee > this.config.approvalAboveFen;
        const refund = await this.models.sequelize.transaction(async (transaction) => {
            const order = await this.lockOrder({ id: orderId }, transaction);
            if (!order) {
                throw Boom.notFound(`order ${orderId} not found`);
            }
            if (!canStart('refund', order.status)) {
                throw Boom.conflict(`order ${orderId} is ${order.status}: only a paid, shipped or completed order can be refunded`);
            }
            // A cancelled refund (its approval declined) never reached WeChat: it counts for nothing.
            const earlier = (await this.models.Refund.findAll({ where: { orderId }, attributes: ['refundFee', 'status'], transaction })).filter((one) => one.status !== 'cancelled');
            if (earlier.length >= MAX_REFUNDS_PER_ORDER) {
                throw Boom.conflict(`order ${orderId} already has ${MAX_REFUNDS_PER_ORDER} refunds, WeChat's limit`);
            }
            const left = order.totalFee - earlier.filter((one) => !REFUNDS_HOLDING_NOTHING.includes(one.status)).reduce((sum, one) => sum + one.refundFee, 0);
            if (refundFee > left) {
                throw Boom.conflict(`refund_fee ${refundFee} exceeds what is left to refund of order ${orderId} (${left} fen)`);
            }
            // Stored already due for the refund job, from the moment this request's claim lapses:
            // if the request dies before WeChat's answer is recorded (a crash, an OOM kill, the
            // database gone), the job asks again. One INSERT, so no processing refund ever exists
            // that no process will act on; every answer below moves or clears next_attempt_at.
            // A refund held for approval is due for nothing until it is approved.
            const claimEnd = held ? null : new Date(now.getTime() + this.claimMs);
            return this.models.Refund.create({
                orderId, refundFee, reason, totalFee: order.totalFee,
                outRefundNo: this.newOutRefundNo(now),
                status: held ? 'pending_approval' : 'processing',
                claimedUntil: claimEnd,
                nextAttemptAt: claimEnd,
                requestedByStaffId,
            }, { transaction });
        });
        if (held) {
            this.logger.info({ event: 'refund.awaiting_approval', outRefundNo: refund.outRefundNo, orderId, refundFee, requestedByStaffId }, 'refund waits for a second staff member\'s approval');
            return refund.reload();
        }
        this.logger.info({ event: 'refund.created', outRefundNo: refund.outRefundNo, orderId, refundFee }, 'refund created');
        await this.attempt(refund, { throwUnlessTransport: true });
        return refund.reload();
    }

    /** The order's refunds, oldest first; 404 for an unknown order. Processing ones are checked with WeChat first (throttled). */
    async listOf(orderId: number): Promise<Refund[]> {
        if ((await this.models.Order.count({ where: { id: orderId } })) === 0) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        const refunds = await this.models.Refund.findAll({ where: { orderId }, order: [['id', 'ASC']] });
        const refreshed = await Promise.all(refunds.map((refund) => this.refresh(refund)));
        return refreshed.some(Boolean) ? this.models.Refund.findAll({ where: { orderId }, order: [['id', 'ASC']] }) : refunds;
    }

    /**
     * An accepted refund still processing is asked about with refundquery, at most once per
     * throttle interval across instances; WeChat being unreachable never fails the read.
     */
    async refresh(refund: Pick<Refund, 'id' | 'status' | 'refundId' | 'outRefundNo'>, intervalMs = this.config.queryThrottleMs, now = new Date()): Promise<boolean> {
        if (refund.status !== 'processing' || refund.refundId === null) {
            return false;
        }
        const claimed = await updateWhere(this.models.Refund, { queriedAt: now }, {
            id: refund.id, status: 'processing', [Op.or]: [{ queriedAt: null }, { queriedAt: { [Op.lte]: new Date(now.getTime() - intervalMs) } }],
        });
        if (claimed !== 1) {
            return false;
        }
        try {
            const known = await this.gateway.queryRefund(refund.outRefundNo);
            if (known === undefined) {
                return false;
            }
            return (await this.models.sequelize.transaction((transaction) => this.apply(known, transaction))).outcome === 'applied';
        }
        catch (error) {
            this.logger.warn({ outRefundNo: refund.outRefundNo, err: (error as Error).message }, 'refundquery failed; refund left as it was');
            return false;
        }
    }

    /**
     * Asks WeChat for a refund not yet accepted, with its stored number and amounts. Accepted:
     * it stays processing with WeChat's refund_id. A final no: failed, with WeChat's code and
     * words. Anything else: asked again later; errors other than a lost answer are rethrown
     * when `throwUnlessTransport`, so the merchant hears them (502) at once. A refund an earlier
     * call may have reached WeChat with (attempts > 0: the count is written before each call) is
     * looked up with refundquery first, and asked for again only if WeChat has none by its number.
     */
    async attempt(refund: Refund, { throwUnlessTransport = false } = {}, now = new Date()): Promise<void> {
        if (refund.attempts > 0 && await this.answeredByRefundquery(refund, now)) {
            return;
        }
        const order = await this.models.Order.findByPk(refund.orderId, { attributes: ['id', 'outTradeNo'] });
        await updateWhere(this.models.Refund, { attempts: refund.attempts + 1 }, { id: refund.id });
        const later = (code: string, message: string) => this.askLater(refund, now, code, message);
        let result;
        try {
            result = await this.gateway.refund({
                outTradeNo: order!.outTradeNo, outRefundNo: refund.outRefundNo, totalFee: refund.totalFee, refundFee: refund.refundFee,
                reason: refund.reason, notifyUrl: this.config.notifyUrl,
            });
        }
        catch (error) {
            if (!(error instanceof WechatError)) {
                throw error;
            }
            await later(error.name, error.message);
            this.logger.warn({ event: 'refund.retry', outRefundNo: refund.outRefundNo, err: error.message }, 'refund not accepted; it will be asked again');
            if (throwUnlessTransport && !(error instanceof WechatTransportError)) {
                throw error;
            }
            return;
        }
        switch (result.outcome) {
            case 'accepted':
                await updateWhere(this.models.Refund, { refundId: result.refundId, acceptedAt: now, nextAttemptAt: null, claimedUntil: null, failureCode: null, failureMessage: null },
                    { id: refund.id, status: 'processing' });
                this.logger.info({ event: 'refund.accepted', outRefundNo: refund.outRefundNo, refundId: result.refundId }, 'refund accepted by WeChat');
                return;
            case 'failed':
                await updateWhere(this.models.Refund, { status: 'failed', failureCode: result.code, failureMessage: result.message.slice(0, 255), nextAttemptAt: null, claimedUntil: null },
                    { id: refund.id, status: 'processing' });
                this.logger.warn({ event: 'refund.failed', outRefundNo: refund.outRefundNo, code: result.code }, `refund refused by WeChat: ${result.message}`);
                return;
            case 'retry':
                await later(result.code, result.message);
                this.logger.warn({ event: 'refund.retry', outRefundNo: refund.outRefundNo, code: result.code }, 'refund not accepted; it will be asked again');
        }
    }

    /**
     * refundquery for a refund WeChat may have taken without its answer being recorded here;
     * true when that decides this turn. WeChat refunds once per out_refund_no, but what a
     * repeated call answers for a refund it has already settled is not worth betting money on;
     * refundquery says what WeChat holds. A refund WeChat knows is recorded through `apply`, as
     * its notification would be (refund_id, and its end state when it has one). WeChat not
     * answering: looked up again later, never asked for blind. None by that number
     * (REFUNDNOTEXIST): false, so it is safe to ask for it.
     */
    private async answeredByRefundquery(refund: Refund, now: Date): Promise<boolean> {
        let known: WxRefund | undefined;
        try {
            known = await this.gateway.queryRefund(refund.outRefundNo);
        }
        catch (error) {
            if (!(error instanceof WechatError)) {
                throw error;
            }
            await this.askLater(refund, now, error.name, error.message);
            this.logger.warn({ event: 'refund.retry', outRefundNo: refund.outRefundNo, err: error.message }, 'refundquery failed; the refund will be looked up again');
            return true;
        }
        if (known === undefined) {
            return false;
        }
        const application = await this.models.sequelize.transaction((transaction) => this.apply(known, transaction));
        if (application.outcome === 'rejected') {
            // apply raised the alert; the refund is looked up again, with back-off, until someone settles it.
            await this.askLater(refund, now, 'REFUND_MISMATCH', application.reason);
        }
        this.logger.info({ event: 'refund.found', outRefundNo: refund.outRefundNo, refundId: known.refundId, state: known.state }, 'refund found at WeChat by refundquery');
        return true;
    }

    /** Not accepted yet: due again after a back-off that doubles per call made, with what WeChat (or the road to it) said. */
    private async askLater(refund: Refund, now: Date, code: string, message: string): Promise<void> {
        await updateWhere(this.models.Refund, {
            nextAttemptAt: new Date(now.getTime() + Math.min(this.config.jobIntervalMs * 2 ** refund.attempts, RETRY_MAX_MS)),
            claimedUntil: null, failureCode: code.slice(0, 32), failureMessage: message.slice(0, 255),
        }, { id: refund.id, status: 'processing', refundId: null });
    }

    /**
     * Applies what WeChat vouches for about a refund (notification or refundquery), inside
     * `transaction`, holding the order's row. A refund we never started (made by hand in the
     * merchant platform) is recorded as one of the order's. The order becomes refunded when its
     * succeeded refunds add up to its paid total.
     */
    async apply(known: WxRefund, transaction: Transaction): Promise<RefundApplication> {
        const order = await this.lockOrder({ outTradeNo: known.outTradeNo }, transaction);
        if (!order) {
            return { outcome: 'rejected', reason: 'unknown out_trade_no' };
        }
        if (known.totalFee !== order.totalFee) {
            return this.mismatch(known, `total_fee ${known.totalFee} is not the order's ${order.totalFee}`);
        }
        const refund = await this.models.Refund.findOne({ where: { outRefundNo: known.outRefundNo }, transaction });
        let changed: boolean;
        if (refund === null) {
            changed = await this.recordForeign(order, known, transaction);
        }
        else if (refund.orderId !== order.id || refund.refundFee !== known.refundFee) {
            return this.mismatch(known, `refund_fee ${known.refundFee} or order is not the refund's (${refund.refundFee} fen)`);
        }
        else {
            changed = await this.settle(refund, known, transaction);
        }
        if (changed && known.state === 'succeeded') {
            await this.refundOrderIfWhole(order, transaction);
        }
        return { outcome: changed ? 'applied' : 'duplicate' };
    }

    private async settle(refund: Refund, known: WxRefund, transaction: Transaction): Promise<boolean> {
        if (known.state === 'processing') {
            // Only news if we had not heard WeChat accept it (a lost answer).
            return refund.refundId === null && await updateWhere(this.models.Refund, { refundId: known.refundId, acceptedAt: new Date(), nextAttemptAt: null, claimedUntil: null, failureCode: null, failureMessage: null },
                { id: refund.id, refundId: null }, transaction) === 1;
        }
        const values = {
            status: known.state, refundId: known.refundId, succeededAt: known.succeededAt, nextAttemptAt: null, claimedUntil: null,
            ...(known.state === 'failed' ? { failureCode: 'REFUNDCLOSE', failureMessage: 'WeChat closed the refund; the money stays with the shop' } : {}),
        };
        const changed = await updateWhere(this.models.Refund, values, { id: refund.id, status: SETTLES_FROM[known.state] as RefundState[] }, transaction) === 1;
        if (changed) {
            this.logger.info({ event: `refund.${known.state}`, outRefundNo: refund.outRefundNo, refundId: known.refundId }, `refund ${known.state}`);
        }
        return changed;
    }

    /**
     * A refund made by hand in the merchant platform: recorded, so the order's refunded amount stays
     * true. One more than the order can give back (its paid total less what WeChat already refunded
     * or holds for refunds) is recorded as `disputed`, counted in none of the order's totals, and raised.
     */
    private async recordForeign(order: Pick<Order, 'id' | 'totalFee'>, known: WxRefund, transaction: Transaction): Promise<boolean> {
        const alreadyRefunded = known.state === 'failed' ? 0 : await this.refundedAtWechat(order.id, transaction);
        const exceeds = known.state !== 'failed' && known.refundFee > order.totalFee - alreadyRefunded;
        try {
            await this.models.Refund.create({
                orderId: order.id, outRefundNo: known.outRefundNo, refundFee: known.refundFee, totalFee: known.totalFee, reason: null,
                status: exceeds ? 'disputed' : known.state, refundId: known.refundId, source: known.source === 'api' ? 'merchant_platform' : known.source,
                acceptedAt: new Date(), succeededAt: known.succeededAt,
                ...(exceeds ? {
                    failureCode: 'EXCEEDS_ORDER',
                    failureMessage: `WeChat reported a refund of ${known.refundFee} fen (${known.state}) on an order paid ${order.totalFee} fen with `
                        + `${alreadyRefunded} fen already refunded: recorded, applied to nothing; check it in the merchant platform`,
                } : {}),
            }, { transaction });
        }
        catch (error) {
            if (error instanceof UniqueConstraintError) {
                return false;
            }
            throw error;
        }
        const fields = { outTradeNo: known.outTradeNo, outRefundNo: known.outRefundNo, refundId: known.refundId, orderId: order.id, refundFee: known.refundFee };
        if (exceeds) {
            this.logger.error({ event: 'alert.refund_exceeds_order', alert: 'refund_exceeds_order', ...fields, state: known.state, orderTotalFee: order.totalFee, alreadyRefunded },
                'ALERT: WeChat reports a refund we never made that is more than the order can give back; recorded as disputed, applied to nothing');
        }
        else {
            this.logger.warn({ event: 'refund.merchant_platform', alert: 'refund_not_started_here', ...fields }, 'a refund made outside this API (merchant platform) was recorded');
        }
        return true;
    }

    /** What WeChat has refunded or holds for refunds of the order: accepted refunds not failed, and any in dispute. */
    private async refundedAtWechat(orderId: number, transaction: Transaction): Promise<number> {
        return await this.models.Refund.sum('refundFee', {
            where: { orderId, [Op.or]: [{ status: ['succeeded', 'abnormal', 'disputed'] }, { status: 'processing', refundId: { [Op.ne]: null } }] },
            transaction,
        }) ?? 0;
    }

    private async refundOrderIfWhole(order: Pick<Order, 'id' | 'totalFee' | 'status'>, transaction: Transaction): Promise<void> {
        const refunded = await this.models.Refund.sum('refundFee', { where: { orderId: order.id, status: 'succeeded' }, transaction }) ?? 0;
        if (refunded >= order.totalFee && canStart('refund', order.status)) {
            await applyTransition(this.models, order.id, 'refund', order.status, { transaction });
            this.logger.info({ event: 'order.refunded', orderId: order.id, refundedFee: refunded }, 'order fully refunded');
        }
    }

    private mismatch(known: WxRefund, reason: string): RefundApplication {
        this.logger.error({ event: 'alert.refund_mismatch', alert: 'refund_amount_mismatch', outTradeNo: known.outTradeNo, outRefundNo: known.outRefundNo, reason },
            'ALERT: WeChat reports a refund that does not match ours');
        return { outcome: 'rejected', reason };
    }

    /** The order's row, held for the rest of the transaction (MySQL; SQLite's transactions run one at a time). */
    private lockOrder(where: { id: number } | { outTradeNo: string }, transaction: Transaction) {
        return this.models.Order.findOne({ where, attributes: ['id', 'outTradeNo', 'totalFee', 'status'], transaction, lock: transaction.LOCK.UPDATE });
    }

    /** Prefix, Beijing time to the second, 12 random hex digits: unique, and at most 42 of WeChat's 64 characters. */
    private newOutRefundNo(now: Date): string {
        return `${this.config.outRefundNoPrefix}${toBeijingCompact(now)}${randomBytes(6).toString('hex')}`;
    }
}
