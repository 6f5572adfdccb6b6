import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { REFUND_REQUEST_TEXT_MAX_CHARACTERS } from '../models/refund-request';
import { callerId, JWT_STRATEGY } from '../plugins/auth';
import { refundRequestSchema, toRefundRequestView } from './refund-view';
import { idParam, swaggerDocs } from './schemas';

/** A shopper asks the shop for their money back; GET /orders/{orderId} shows the answer. */
export const refundRequestRoutes: ServerRoute[] = [
    {
        method: 'POST',
        path: '/orders/{orderId}/refund-requests',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'orders'],
            description: "Asks the shop to refund the caller's own paid order",
            notes: '404: not your order. 409: the order is not paid, or already has a pending request. The shop grants it (a refund) or '
                + 'declines it with a note; GET /orders/{orderId} shows which.',
            plugins: swaggerDocs({ jwt: true, errors: [400, 404, 409] }),
            validate: {
                params: Joi.object({ orderId: idParam('order') }),
                payload: Joi.object({ reason: Joi.string().trim().min(1).max(REFUND_REQUEST_TEXT_MAX_CHARACTERS).required().example('arrived broken') }).label('CreateRefundRequest'),
            },
            response: { status: { 201: refundRequestSchema } },
            handler: async (request, h) => {
                const { reason } = request.payload as { reason: string };
                const created = await request.services().refundRequests.create(request.params.orderId as number, callerId(request), reason);
                return h.response(toRefundRequestView(created)).code(201);
            },
        },
    },
];
