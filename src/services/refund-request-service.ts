import Boom from '@hapi/boom';
import { UniqueConstraintError } from 'sequelize';

import { retryOnDeadlock, updateWhere } from '../db/rows';
import type { Models, Refund, RefundRequest } from '../models';
import { REFUND_REQUEST_TEXT_MAX_CHARACTERS, type RefundRequestStatus } from '../models/refund-request';
import { canStart } from './order-states';
import type { RefundService } from './refund-service';
import type { Page, PageOf } from './shop-service';

/** A shopper asks for money back on a paid order; the merchant grants it (a refund) or declines it with a note. */
export class RefundRequestService {
    constructor(
        private readonly models: Models,
        private readonly refunds: RefundService,
    ) {}

    /**
     * On the caller's own paid order (404 otherwise; 409 unless paid, or while one is pending). A
     * pending request holds its order's unique `pending_order_id`: of requests racing on any
     * number of connections or nodes, one insert wins and the others answer 409.
     */
    async create(orderId: number, userId: number, reason: string): Promise<RefundRequest> {
        const order = await this.models.Order.findOne({ where: { id: orderId, userId }, attributes: ['id', 'status'] });
        if (!order) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        if (!canStart('refund', order.status)) {
            throw Boom.conflict(`order ${orderId} is ${order.status}: only a paid, shipped or completed order can be refunded`);
        }
        try {
            // A Galera node that lost the race on another node hears a deadlock: asked again, the key refuses it here.
            return await retryOnDeadlock(() => this.models.RefundRequest.create({ orderId, pendingOrderId: orderId, reason, note: null, refundId: null, decidedAt: null }));
        }
        catch (error) {
            if (error instanceof UniqueConstraintError) {
                throw Boom.conflict(`order ${orderId} already has a pending refund request`);
            }
            throw error;
        }
    }

    ofOrder(orderId: number): Promise<RefundRequest[]> {
        return this.models.RefundRequest.findAll({ where: { orderId }, order: [['id', 'ASC']] });
    }

    /** One page of every request (or those in `status`), newest first unless `oldestFirst`, and how many there are. */
    async list(status: RefundRequestStatus | undefined, oldestFirst: boolean, { page, limit }: Page): Promise<PageOf<RefundRequest>> {
        const { rows, count } = await this.models.RefundRequest.findAndCountAll({
            where: status === undefined ? {} : { status }, order: [['id', oldestFirst ? 'ASC' : 'DESC']], limit, offset: (page - 1) * limit,
        });
        return { results: rows, totalCount: count };
    }

    /** Grants a pending request with a refund of `refundFee` (default: all that is left); the refund's own 409s apply. */
    async grant(requestId: number, refundFee: number | undefined, reason: string | null, requestedByStaffId: number | null = null): Promise<{ request: RefundRequest; refund: Refund }> {
        const request = await this.pending(requestId);
        const fee = refundFee ?? await this.leftToRefund(request.orderId);
        // Decided first, so two grants at once never make two refunds; undone if the refund is refused.
        await this.decide(request, { status: 'granted', refundId: null, note: null });
        let refund: Refund;
        try {
            refund = await this.refunds.create(request.orderId, fee, reason, { requestedByStaffId });
        }
        catch (error) {
            // A Boom (404, 409, 501) came before any refund was stored; anything later leaves a refund the job retries.
            if (!Boom.isBoom(error)) {
                throw error;
            }
            await this.undoGrant(request, error.message);
            throw error;
        }
        await updateWhere(this.models.RefundRequest, { refundId: refund.id }, { id: request.id });
        return { request: await request.reload(), refund };
    }

    async decline(requestId: number, note: string): Promise<RefundRequest> {
        const request = await this.pending(requestId);
        await this.decide(request, { status: 'declined', note, refundId: null });
        return request.reload();
    }

    /** The request granted with `refundId`, if any, pending again: that refund was cancelled before WeChat was asked (its approval declined). */
    async reopenGrantOf(refundId: number, why: string): Promise<void> {
        const request = await this.models.RefundRequest.findOne({ where: { refundId, status: 'granted' } });
        if (request !== null) {
            await this.undoGrant(request, why, refundId);
        }
    }

    /**
     * Pending again, holding its order's place; unless the shopper asked anew while the grant was
     * being tried (the place is taken): then it is declined, saying why, and the new one stands.
     */
    private async undoGrant(request: RefundRequest, refusal: string, refundId: number | null = null): Promise<void> {
        const granted = { id: request.id, status: 'granted' as const, refundId };
        try {
            await updateWhere(this.models.RefundRequest, { status: 'pending', decidedAt: null, pendingOrderId: request.orderId, refundId: null }, granted);
        }
        catch (error) {
            if (!(error instanceof UniqueConstraintError)) {
                throw error;
            }
            const note = `the refund could not be made (${refusal}); the newer request on this order is pending`;
            await updateWhere(this.models.RefundRequest, { status: 'declined', note: note.slice(0, REFUND_REQUEST_TEXT_MAX_CHARACTERS), refundId: null }, granted);
        }
    }

    private async pending(requestId: number): Promise<RefundRequest> {
        const request = await this.models.RefundRequest.findByPk(requestId);
        if (!request) {
            throw Boom.notFound(`refund request ${requestId} not found`);
        }
        if (request.status !== 'pending') {
            throw Boom.conflict(`refund request ${requestId} is already ${request.status}`);
        }
        return request;
    }

    /** One decision per request: a second, concurrent one finds it no longer pending. */
    private async decide(request: RefundRequest, values: Pick<RefundRequest, 'status' | 'note' | 'refundId'>): Promise<void> {
        if (await updateWhere(this.models.RefundRequest, { ...values, pendingOrderId: null, decidedAt: new Date() }, { id: request.id, status: 'pending' }) !== 1) {
            throw Boom.conflict(`refund request ${request.id} was decided meanwhile`);
        }
    }

    private async leftToRefund(orderId: number): Promise<number> {
        const order = await this.models.Order.findByPk(orderId, { attributes: ['totalFee'] });
        const taken = await this.models.Refund.sum('refundFee', { where: { orderId, status: ['processing', 'succeeded', 'abnormal', 'pending_approval'] } }) ?? 0;
        return Math.max(order!.totalFee - taken, 1);
    }
}
