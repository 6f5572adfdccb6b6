import Boom from '@hapi/boom';
import type { Request, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { REFUND_STATUSES, type RefundStatus } from '../../models/refund';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { refundSchema } from '../refund-view';
import { idParam, keysetPage, keysetPageSchema, keysetQuery, swaggerDocs } from '../schemas';
import { auditRefund } from './audited';
import { refundViews } from './refunds';

const refundParams = Joi.object({ refundId: idParam('refund') });

/** Approving is a person's act: the API key may list refunds, but only a staff session decides. */
function reviewerOf(request: Request): number {
    const staff = request.auth.credentials.staff;
    if (!staff) {
        throw Boom.forbidden('a refund waiting for approval is decided by a staff member signed in to the console, not by the API key');
    }
    return staff.id;
}

/** Refunds across orders, and the approval step for those above REFUND_APPROVAL_ABOVE_FEN. */
export const adminRefundApprovalRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/refunds',
        options: {
            auth: adminAccess(SCOPES.refunds),
            tags: ['api', 'admin'],
            description: 'Refunds across orders, newest first (status=pending_approval: the approval queue)',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: { query: keysetQuery.keys({ status: Joi.string().valid(...REFUND_STATUSES).description('only refunds in this status') }) },
            response: { schema: keysetPageSchema(refundSchema, 'RefundPage') },
            handler: async (request) => {
                const { status, before, limit } = request.query as { status?: RefundStatus; before?: number; limit: number };
                const page = keysetPage(await request.services().refundList.page(status, before, limit), limit);
                return { results: await refundViews(request, page.results), next: page.next };
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/refunds/{refundId}/approve',
        options: {
            auth: adminAccess(SCOPES.refundApproval),
            tags: ['api', 'admin'],
            description: 'Approves a refund waiting for approval: WeChat is asked for it now',
            notes: 'Only a staff session (owner or finance), never the API key, and never the member who asked for the refund (403). '
                + '202 with the refund as after POST /admin/orders/{orderId}/refunds (processing, or failed with WeChat\'s words). 409: not waiting for approval.',
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409, 501, 502] }), audit: auditRefund },
            validate: { params: refundParams },
            response: { status: { 202: refundSchema } },
            handler: async (request, h) => {
                const refund = await request.services().refundApprovals.approve(request.params.refundId as number, reviewerOf(request));
                return h.response((await refundViews(request, [refund]))[0]).code(202);
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/refunds/{refundId}/reject',
        options: {
            auth: adminAccess(SCOPES.refundApproval),
            tags: ['api', 'admin'],
            description: 'Declines a refund waiting for approval: it is cancelled, WeChat never asked',
            notes: 'The note is kept as the refund\'s failure_message (failure_code APPROVAL_DECLINED). The member who asked may withdraw their own. '
                + "A shopper's refund request it granted is pending again. 409: not waiting for approval.",
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409] }), audit: auditRefund },
            validate: {
                params: refundParams,
                payload: Joi.object({ note: Joi.string().trim().min(1).max(255).required().example('amount to be checked with the shopper first') }).label('RejectRefund'),
            },
            response: { schema: refundSchema },
            handler: async (request) => {
                const refund = await request.services().refundApprovals.decline(request.params.refundId as number, reviewerOf(request), (request.payload as { note: string }).note);
                return (await refundViews(request, [refund]))[0];
            },
        },
    },
];
