import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { adminAccess } from '../../plugins/staff-auth';
import { DELIVERY_KINDS, DELIVERY_OUTCOMES, type DeliveryKind } from '../../services/delivery-log';
import { SCOPES } from '../../services/staff/roles';
import { keysetPage, keysetPageSchema, keysetQuery, swaggerDocs } from '../schemas';
import { deliverySchema, toDeliveryView } from './order-page';

/** The notification log: every payment or refund notification WeChat (or anyone) delivered. */
export const adminNotificationRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/notifications',
        options: {
            auth: adminAccess(SCOPES.notifications),
            tags: ['api', 'admin'],
            description: 'Notifications received, newest first: payment or refund ones, by outcome or order',
            notes: 'Deliveries that did not verify are kept only for NOTIFY_UNVERIFIED_RETENTION_HOURS.',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: {
                query: keysetQuery.keys({
                    kind: Joi.string().valid(...DELIVERY_KINDS).default('payment').description('payment (default) or refund'),
                    outcome: Joi.string().valid(...DELIVERY_OUTCOMES).description('only deliveries with this outcome'),
                    out_trade_no: Joi.string().max(64).description("one order's deliveries"),
                }),
            },
            response: { schema: keysetPageSchema(deliverySchema, 'DeliveryPage') },
            handler: async (request) => {
                const { kind, outcome, out_trade_no, before, limit } = request.query as { kind: DeliveryKind; outcome?: string; out_trade_no?: string; before?: number; limit: number };
                const page = keysetPage(await request.services().deliveries.page({ kind, outcome, outTradeNo: out_trade_no, beforeId: before }, limit), limit);
                return { results: page.results.map(toDeliveryView), next: page.next };
            },
        },
    },
];
