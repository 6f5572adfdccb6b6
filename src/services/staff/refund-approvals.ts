import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op } from 'sequelize';

import { updateWhere } from '../../db/rows';
import type { Models, Refund } from '../../models';
import { REFUND_REASON_MAX_CHARACTERS } from '../../models/refund';
import type { RefundRequestService } from '../refund-request-service';
import type { RefundService } from '../refund-service';

/**
 * The second pair of eyes on a large refund (above REFUND_APPROVAL_ABOVE_FEN): stored
 * `pending_approval` by RefundService.create, it reaches WeChat only once a staff member other
 * than the one who asked for it approves it. Each decision is one conditional UPDATE judged by
 * the rows it changed, so two reviewers never both decide, and the asker can never approve.
 */
export class RefundApprovals {
    constructor(
        private readonly models: Models,
        private readonly refunds: RefundService,
        private readonly refundRequests: RefundRequestService,
        private readonly logger: Logger,
    ) {}

    /**
     * Approved: processing, due for the refund job from the moment this request's claim lapses
     * (as a new refund is), and asked of WeChat at once. 403 for the staff member who asked.
     */
    async approve(refundId: number, reviewerStaffId: number, now = new Date()): Promise<Refund> {
        const claimEnd = new Date(now.getTime() + this.refunds.claimMs);
        const changed = await updateWhere(this.models.Refund, { status: 'processing', reviewedByStaffId: reviewerStaffId, claimedUntil: claimEnd, nextAttemptAt: claimEnd }, {
            id: refundId, status: 'pending_approval', [Op.or]: [{ requestedByStaffId: null }, { requestedByStaffId: { [Op.ne]: reviewerStaffId } }],
        });
        if (changed !== 1) {
            throw await this.whyNot(refundId, reviewerStaffId, 'approve');
        }
        const refund = (await this.models.Refund.findByPk(refundId))!;
        this.logger.info({ event: 'refund.approved', outRefundNo: refund.outRefundNo, orderId: refund.orderId, refundFee: refund.refundFee, reviewerStaffId }, 'refund approved');
        await this.refunds.attempt(refund, { throwUnlessTransport: true }, now);
        return refund.reload();
    }

    /**
     * Declined: cancelled, WeChat never asked, counted nowhere; a shopper's request it granted is
     * pending again. The asker may decline (withdraw) their own.
     */
    async decline(refundId: number, reviewerStaffId: number, note: string): Promise<Refund> {
        const changed = await updateWhere(this.models.Refund, {
            status: 'cancelled', reviewedByStaffId: reviewerStaffId, failureCode: 'APPROVAL_DECLINED', failureMessage: note.slice(0, 255),
        }, { id: refundId, status: 'pending_approval' });
        if (changed !== 1) {
            throw await this.whyNot(refundId, reviewerStaffId, 'decline');
        }
        const refund = (await this.models.Refund.findByPk(refundId))!;
        this.logger.info({ event: 'refund.approval_declined', outRefundNo: refund.outRefundNo, orderId: refund.orderId, reviewerStaffId }, 'refund approval declined; refund cancelled');
        await this.refundRequests.reopenGrantOf(refundId, `the refund was not approved: ${note}`.slice(0, REFUND_REASON_MAX_CHARACTERS));
        return refund;
    }

    private async whyNot(refundId: number, reviewerStaffId: number, decision: 'approve' | 'decline'): Promise<Boom.Boom> {
        const refund = await this.models.Refund.findByPk(refundId, { attributes: ['id', 'status', 'requestedByStaffId'] });
        if (refund === null) {
            return Boom.notFound(`refund ${refundId} not found`);
        }
        if (refund.status !== 'pending_approval') {
            return Boom.conflict(`refund ${refundId} is ${refund.status}: only a refund waiting for approval can be decided`);
        }
        if (decision === 'approve' && refund.requestedByStaffId === reviewerStaffId) {
            return Boom.forbidden(`refund ${refundId} was asked for by you: another staff member (owner or finance) must approve it`);
        }
        return Boom.conflict(`refund ${refundId} was decided meanwhile: read it again`);
    }
}
