import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { orderSchema, toOrderView } from '../order-view';
import { idParam, swaggerDocs } from '../schemas';

const merchantOrderSchema = orderSchema.keys({ user_id: Joi.number().integer().required().description('the shopper who placed it') }).label('MerchantOrder');

/** The merchant's view of orders: any shopper's, by id. */
export const adminOrderRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/orders/{orderId}',
        options: {
            auth: adminAccess(SCOPES.ordersRead),
            tags: ['api', 'admin'],
            description: 'Any order, as the shop sees it (with the shopper who placed it)',
            plugins: swaggerDocs({ admin: true, errors: [400, 404] }),
            validate: { params: Joi.object({ orderId: idParam('order') }) },
            response: { schema: merchantOrderSchema },
            handler: async (request) => {
                const order = await request.services().orders.findAny(request.params.orderId as number);
                return { ...toOrderView(order), user_id: order.userId };
            },
        },
    },
];
