import Joi from 'joi';

import type { Refund, RefundRequest } from '../models';
import { REFUND_SOURCES, REFUND_STATUSES } from '../models/refund';
import { REFUND_REQUEST_STATUSES } from '../models/refund-request';

const refundStatus = Joi.string().valid(...REFUND_STATUSES).required().label('RefundStatus')
    .description("processing: accepted or being retried; abnormal: stuck at the shopper's account, settled in the merchant platform; "
        + 'disputed: a refund WeChat reported that the order cannot hold (more than is left of it), recorded but counted nowhere, raised as an alert; '
        + 'pending_approval: above REFUND_APPROVAL_ABOVE_FEN, waiting for a second staff member (WeChat not asked yet); cancelled: its approval was declined (WeChat never asked)');

const staffRef = Joi.object({ id: Joi.number().integer().required(), name: Joi.string().allow(null).required() }).label('StaffRef');

/** A refund as the merchant sees it; money in integer fen. */
export const refundSchema = Joi.object({
    id: Joi.number().integer().required().example(1),
    order_id: Joi.number().integer().required().example(1),
    out_refund_no: Joi.string().required().description('our refund number at WeChat Pay').example('RF20261201100500a1b2c3d4e5f6'),
    refund_fee: Joi.number().integer().required().description('refunded amount in fen').example(490),
    reason: Joi.string().allow(null).required().description('shown to the shopper by WeChat'),
    status: refundStatus,
    source: Joi.string().valid(...REFUND_SOURCES).required().label('RefundSource').description('merchant_platform: made by hand in WeChat Pay\'s merchant platform'),
    refund_id: Joi.string().allow(null).required().description("WeChat Pay's refund id, once accepted"),
    failure_code: Joi.string().allow(null).required().description("WeChat's code when it refused (or the last retryable one)"),
    failure_message: Joi.string().allow(null).required().description("WeChat's words"),
    created_at: Joi.date().required(),
    succeeded_at: Joi.date().allow(null).required(),
    requested_by: staffRef.allow(null).required().description('the staff member who asked for it (null: the API key)').label('RefundRequestedBy'),
    reviewed_by: staffRef.allow(null).required().description('who approved or declined it, when it waited for approval').label('RefundReviewedBy'),
}).label('Refund');

/** Staff names by id, for the refunds shown (src/services/staff/accounts.ts namesOf). */
export type StaffNames = ReadonlyMap<number, string>;

const staffRefOf = (id: number | null | undefined, names: StaffNames) => (id === null || id === undefined ? null : { id, name: names.get(id) ?? null });

/** The staff ids a list of refunds names. */
export const staffIdsOf = (refunds: readonly Refund[]) => refunds.flatMap((refund) => [refund.requestedByStaffId, refund.reviewedByStaffId]).filter((id): id is number => typeof id === 'number');

export function toRefundView(refund: Refund, names: StaffNames = new Map()) {
    return {
        id: refund.id,
        order_id: refund.orderId,
        out_refund_no: refund.outRefundNo,
        refund_fee: refund.refundFee,
        reason: refund.reason,
        status: refund.status,
        source: refund.source,
        refund_id: refund.refundId,
        failure_code: refund.failureCode,
        failure_message: refund.failureMessage,
        created_at: refund.createdAt,
        succeeded_at: refund.succeededAt,
        requested_by: staffRefOf(refund.requestedByStaffId, names),
        reviewed_by: staffRefOf(refund.reviewedByStaffId, names),
    };
}

/** A refund as the shopper sees it: amount and state, nothing of WeChat's internals. */
export const shopperRefundSchema = Joi.object({
    refund_fee: Joi.number().integer().required().description('in fen').example(490),
    status: refundStatus,
    created_at: Joi.date().required(),
    succeeded_at: Joi.date().allow(null).required(),
}).label('OrderRefund');

export function toShopperRefundView(refund: Refund) {
    return { refund_fee: refund.refundFee, status: refund.status, created_at: refund.createdAt, succeeded_at: refund.succeededAt };
}

export const refundRequestSchema = Joi.object({
    id: Joi.number().integer().required().example(1),
    order_id: Joi.number().integer().required().example(1),
    reason: Joi.string().required().description("the shopper's words"),
    status: Joi.string().valid(...REFUND_REQUEST_STATUSES).required().label('RefundRequestStatus'),
    note: Joi.string().allow(null).required().description("the merchant's note when declining"),
    created_at: Joi.date().required(),
    decided_at: Joi.date().allow(null).required(),
}).label('RefundRequest');

export function toRefundRequestView(request: RefundRequest) {
    return {
        id: request.id,
        order_id: request.orderId,
        reason: request.reason,
        status: request.status,
        note: request.note,
        created_at: request.createdAt,
        decided_at: request.decidedAt,
    };
}
