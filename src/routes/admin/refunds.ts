import type { Request, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { REFUND_REASON_MAX_CHARACTERS } from '../../models/refund';
import { REFUND_REQUEST_STATUSES, REFUND_REQUEST_TEXT_MAX_CHARACTERS, type RefundRequestStatus } from '../../models/refund-request';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { auditOrder, auditRefundRequest } from './audited';
import { MAX_REFUNDS_PER_ORDER } from '../../services/refund-service';
import type { Refund } from '../../models';
import { refundRequestSchema, refundSchema, staffIdsOf, toRefundRequestView, toRefundView } from '../refund-view';
import { idParam, pageLinks, pageSchema, pagingOf, pagingQuery, swaggerDocs } from '../schemas';

const refundFee = Joi.number().strict().integer().min(1).max(9_999_999_999).description('integer fen, at most what is left to refund').example(1);
const refundReason = Joi.string().trim().min(1).max(REFUND_REASON_MAX_CHARACTERS).description('shown to the shopper by WeChat').example('out of stock');

const REFUND_NOTES = 'Stored before WeChat is asked, then sent to /secapi/pay/refund with the merchant certificate. 202: accepted by WeChat, or '
    + "being retried with the same out_refund_no after WeChat's SYSTEMERROR / BIZERR_NEED_RETRY / FREQUENCY_LIMITED or no answer; a final "
    + "refusal (NOTENOUGH, TRADE_OVERDUE…) answers 202 with status failed and WeChat's words. 409: the order is not paid, the fee exceeds "
    + 'what is left (paid total minus every refund not failed), or the order has 50 refunds. 501: no merchant certificate is configured. '
    + '502: WeChat refused the certificate or answered something invalid (the refund is retried). Any error or lost answer after the refund '
    + 'was stored (a crash, the database gone) leaves it to the refund job: it looks the refund up with refundquery and asks again only if '
    + 'WeChat has none, so read the order\'s refunds before asking for another.';

/** The refunds as the merchant API shows them, with the names of the staff who asked for and reviewed them. */
export async function refundViews(request: Request, refunds: readonly Refund[]) {
    const names = await request.services().staff.namesOf(staffIdsOf(refunds));
    return refunds.map((refund) => toRefundView(refund, names));
}

/** The staff member making a write (null: the API key). */
export const requesterOf = (request: Request) => request.auth.credentials.staff?.id ?? null;

const APPROVAL_NOTE = ' Above REFUND_APPROVAL_ABOVE_FEN the refund is stored pending_approval (202) and WeChat is asked only once a second '
    + 'staff member (owner or finance) approves it with POST /admin/refunds/{refundId}/approve; meanwhile it counts against what is left.';

/** The merchant's refunds: make one, list an order's, and answer shoppers' requests. */
export const adminRefundRoutes: ServerRoute[] = [
    {
        method: 'POST',
        path: '/admin/orders/{orderId}/refunds',
        options: {
            auth: adminAccess(SCOPES.refunds),
            tags: ['api', 'admin'],
            description: 'Refunds part or all of a paid order through WeChat Pay',
            notes: REFUND_NOTES + APPROVAL_NOTE,
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409, 501, 502] }), audit: auditOrder },
            validate: {
                params: Joi.object({ orderId: idParam('order') }),
                payload: Joi.object({ refund_fee: refundFee.required(), reason: refundReason }).label('CreateRefund'),
            },
            response: { status: { 202: refundSchema } },
            handler: async (request, h) => {
                const { refund_fee, reason } = request.payload as { refund_fee: number; reason?: string };
                const refund = await request.services().refunds.create(request.params.orderId as number, refund_fee, reason ?? null, { requestedByStaffId: requesterOf(request) });
                return h.response((await refundViews(request, [refund]))[0]).code(202);
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/orders/{orderId}/refunds',
        options: {
            auth: adminAccess(SCOPES.ordersRead),
            tags: ['api', 'admin'],
            description: "An order's refunds, oldest first (processing ones are checked with WeChat's refundquery first)",
            notes: `Whole, not paged: an order has at most ${MAX_REFUNDS_PER_ORDER} refunds (WeChat's limit). Every other merchant list is paged.`,
            plugins: swaggerDocs({ admin: true, errors: [400, 404] }),
            validate: { params: Joi.object({ orderId: idParam('order') }) },
            response: { schema: Joi.array().items(refundSchema).label('Refunds') },
            handler: async (request) => refundViews(request, await request.services().refunds.listOf(request.params.orderId as number)),
        },
    },
    {
        method: 'GET',
        path: '/admin/refund-requests',
        options: {
            auth: adminAccess(SCOPES.afterSale),
            tags: ['api', 'admin'],
            description: "Shoppers' refund requests, a page at a time, newest first",
            notes: 'Filter by status (pending: waiting for the shop); sort=oldest to work through them in the order they came. '
                + 'totalCount counts every request the filter selects; links.next is null on the last page.',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: {
                query: pagingQuery.keys({
                    status: Joi.string().valid(...REFUND_REQUEST_STATUSES).description('pending, granted or declined'),
                    sort: Joi.string().valid('newest', 'oldest').default('newest').description('newest (default) or oldest first'),
                }),
            },
            response: { schema: pageSchema(refundRequestSchema, 'RefundRequestPage') },
            handler: async (request) => {
                const { status, sort } = request.query as { status?: RefundRequestStatus; sort: 'newest' | 'oldest' };
                const { results, totalCount } = await request.services().refundRequests.list(status, sort === 'oldest', pagingOf(request));
                return { results: results.map(toRefundRequestView), totalCount, links: pageLinks(request, totalCount) };
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/refund-requests/{requestId}/grant',
        options: {
            auth: adminAccess(SCOPES.afterSale),
            tags: ['api', 'admin'],
            description: 'Grants a pending refund request with a refund (by default of all that is left)',
            notes: `As POST /admin/orders/{orderId}/refunds; 409 also when the request is not pending. ${REFUND_NOTES}${APPROVAL_NOTE}`,
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409, 501, 502] }), audit: auditRefundRequest },
            validate: {
                params: Joi.object({ requestId: idParam('refund request') }),
                payload: Joi.object({ refund_fee: refundFee, reason: refundReason }).label('GrantRefundRequest').allow(null),
            },
            response: { status: { 202: Joi.object({ request: refundRequestSchema, refund: refundSchema }).label('GrantedRefundRequest') } },
            handler: async (request, h) => {
                const { refund_fee, reason } = (request.payload ?? {}) as { refund_fee?: number; reason?: string };
                const granted = await request.services().refundRequests.grant(request.params.requestId as number, refund_fee, reason ?? null, requesterOf(request));
                return h.response({ request: toRefundRequestView(granted.request), refund: (await refundViews(request, [granted.refund]))[0] }).code(202);
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/refund-requests/{requestId}/decline',
        options: {
            auth: adminAccess(SCOPES.afterSale),
            tags: ['api', 'admin'],
            description: 'Declines a pending refund request with a note the shopper reads on the order',
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409] }), audit: auditRefundRequest },
            validate: {
                params: Joi.object({ requestId: idParam('refund request') }),
                payload: Joi.object({ note: Joi.string().trim().min(1).max(REFUND_REQUEST_TEXT_MAX_CHARACTERS).required().example('used items cannot be returned') }).label('DeclineRefundRequest'),
            },
            response: { schema: refundRequestSchema },
            handler: async (request) => {
                const { note } = request.payload as { note: string };
                return toRefundRequestView(await request.services().refundRequests.decline(request.params.requestId as number, note));
            },
        },
    },
];
