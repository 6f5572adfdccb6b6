import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { callerId, JWT_STRATEGY, SWAGGER_JWT } from '../plugins/auth';
import type { OrderLine } from '../services/order-service';
import { orderSchema, toOrderView } from './order-view';
import { idParam, pageLinks, pageSchema, pagingOf, pagingQuery } from './schemas';

const orderLinesPayload = Joi.object({
    goodsList: Joi.array().min(1).max(100).unique('goods_id').required().items(Joi.object({
        goods_id: idParam('goods'),
        count: Joi.number().integer().min(1).max(999).required(),
    }).label('OrderLineInput')),
}).label('CreateOrder');

const orderIdParams = Joi.object({ orderId: idParam('order') });

export const orderRoutes: ServerRoute[] = [
    {
        method: 'POST',
        path: '/orders',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'orders'],
            description: 'Creates an unpaid order; prices are read from the goods, never from the request',
            notes: 'An unknown goods_id → 400 naming it. Each goods_id at most once, count 1-999.',
            plugins: SWAGGER_JWT,
            validate: { payload: orderLinesPayload },
            response: { status: { 201: orderSchema } },
            handler: async (request, h) => {
                const { goodsList } = request.payload as { goodsList: { goods_id: number; count: number }[] };
                const lines: OrderLine[] = goodsList.map((line) => ({ goodsId: line.goods_id, count: line.count }));
                const order = await request.server.app.services.orders.create(callerId(request), lines);
                return h.response(toOrderView(order)).code(201);
            },
        },
    },
    {
        method: 'GET',
        path: '/orders',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'orders'],
            description: "Lists the caller's own orders, newest first",
            plugins: SWAGGER_JWT,
            validate: { query: pagingQuery },
            response: { schema: pageSchema(orderSchema, 'OrderPage') },
            handler: async (request) => {
                const { results, totalCount } = await request.server.app.services.orders.listOwned(callerId(request), pagingOf(request));
                return { results: results.map(toOrderView), totalCount, links: pageLinks(request, totalCount) };
            },
        },
    },
    {
        method: 'GET',
        path: '/orders/{orderId}',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'orders'],
            description: "One of the caller's own orders (another user's order is 404)",
            plugins: SWAGGER_JWT,
            validate: { params: orderIdParams },
            response: { schema: orderSchema },
            handler: async (request) => {
                const order = await request.server.app.services.orders.findOwned(request.params.orderId as number, callerId(request));
                return toOrderView(order);
            },
        },
    },
];
