import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { callerId, JWT_STRATEGY } from '../plugins/auth';
import type { OrderLine } from '../services/order-service';
import { canStart } from '../services/order-states';
import { clientIp } from './client-ip';
import { orderDetailSchema, orderSchema, requestPaymentSchema, toOrderDetailView, toOrderView } from './order-view';
import { idParam, modelNamed, pageLinks, pageSchema, pagingOf, pagingQuery, swaggerDocs } from './schemas';

const orderLinesPayload = Joi.object({
    goodsList: modelNamed('OrderLineInputs', Joi.array().min(1).max(100).unique('goods_id').required().items(modelNamed('OrderLineInput', Joi.object({
        // A seeded goods id and a count of 1, so Swagger's Try it out works unchanged.
        goods_id: idParam('goods').example(1),
        count: Joi.number().integer().min(1).max(999).required().example(1),
    }))).messages({ 'array.unique': '"goodsList" lists goods_id {#value.goods_id} more than once' })),
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
            notes: 'An unknown goods_id → 400 naming it. Each goods_id at most once, count 1-999. 409: the caller already holds '
                + 'ORDER_MAX_UNPAID_PER_USER unpaid, unexpired orders (the message names the cap); pay or close one first. '
                + '429 (with Retry-After): too many new orders from this user or address (RATE_LIMIT_ORDERS_PER_USER, _PER_IP).',
            plugins: { ...swaggerDocs({ jwt: true, errors: [400, 409, 429] }), rateLimit: 'orders' },
            validate: { payload: orderLinesPayload },
            response: { status: { 201: orderSchema } },
            handler: async (request, h) => {
                const { goodsList } = request.payload as { goodsList: { goods_id: number; count: number }[] };
                const lines: OrderLine[] = goodsList.map((line) => ({ goodsId: line.goods_id, count: line.count }));
                const order = await request.services().orders.create(callerId(request), lines);
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
            plugins: swaggerDocs({ jwt: true, errors: [400] }),
            validate: { query: pagingQuery },
            response: { schema: pageSchema(orderSchema, 'OrderPage') },
            handler: async (request) => {
                const { results, totalCount } = await request.services().orders.listOwned(callerId(request), pagingOf(request));
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
            plugins: swaggerDocs({ jwt: true, errors: [400, 404] }),
            validate: { params: orderIdParams },
            response: { schema: orderDetailSchema },
            notes: 'An unpaid order with a prepay is first checked with WeChat (orderquery, at most once every few seconds, '
                + 'and ORDER_QUERY_PER_USER times per window for each user), so a payment whose notification was lost shows as paid. '
                + 'Refunds still processing are checked with refundquery the same way. refunded_fee sums the refunds that succeeded.',
            handler: async (request) => {
                const { orders, payments, refunds, refundRequests } = request.services();
                const order = await orders.findOwned(request.params.orderId as number, callerId(request));
                const paymentChanged = await payments.refresh(order, () => request.withinRateLimit('orderQuery'));
                const orderRefunds = await refunds.listOf(order.id);
                // A refund read just now may have completed the order's refund: read its status again then.
                const mayHaveMoved = paymentChanged || (canStart('refund', order.status) && orderRefunds.some((refund) => refund.status === 'succeeded'));
                const current = mayHaveMoved ? await orders.findOwned(order.id, callerId(request)) : order;
                return toOrderDetailView(current, orderRefunds, await refundRequests.ofOrder(order.id));
            },
        },
    },
    {
        method: 'POST',
        path: '/orders/{orderId}/pay',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'payments'],
            description: "Starts WeChat Pay for the caller's own unpaid order: the object to pass to wx.requestPayment",
            notes: 'Places a JSAPI unifiedorder for the order\'s stored total (a prepay younger than its 2-hour life is reused). '
                + '404: not your order. 409: already paid, closed or expired. 502: WeChat Pay refused or answered '
                + 'something invalid. 504: WeChat Pay did not answer in time. After a 502/504 the order can be paid again. '
                + '429 (with Retry-After): too many payment requests from this user or address.',
            plugins: { ...swaggerDocs({ jwt: true, errors: [400, 404, 409, 429, 502, 504] }), rateLimit: 'pay' },
            validate: { params: orderIdParams },
            response: { schema: requestPaymentSchema },
            handler: (request) => {
                const { config } = request.server.app;
                return request.services().payments.requestPayment(request.params.orderId as number, callerId(request), clientIp(request, config.server.trustedProxies));
            },
        },
    },
    {
        method: 'POST',
        path: '/orders/{orderId}/close',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'payments'],
            description: "Closes the caller's own unpaid order (at WeChat too), so it can no longer be paid",
            notes: '409 when the order is already paid. WeChat refuses to close an order within 5 minutes of its prepay (502 with its message).',
            plugins: swaggerDocs({ jwt: true, errors: [400, 404, 409, 502, 504] }),
            validate: { params: orderIdParams },
            response: { schema: orderSchema },
            handler: async (request) => {
                const { orders, payments } = request.services();
                await payments.close(request.params.orderId as number, callerId(request));
                return toOrderView(await orders.findOwned(request.params.orderId as number, callerId(request)));
            },
        },
    },
    {
        method: 'POST',
        path: '/orders/{orderId}/confirm-receipt',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'orders'],
            description: "The caller confirms receipt of their own shipped order, which completes it",
            notes: 'Call it after the mini-program\'s receipt confirmation (wx.openBusinessView, businessType weappOrderConfirm) succeeds. '
                + '404: not your order. 409: the order is not shipped (not yet shipped, already completed, refunded). '
                + 'Orders nobody confirms complete ORDER_AUTO_RECEIVE_DAYS after shipping.',
            plugins: swaggerDocs({ jwt: true, errors: [400, 404, 409] }),
            validate: { params: orderIdParams },
            response: { schema: orderSchema },
            handler: async (request) => {
                const { orders, receipts } = request.services();
                await receipts.confirm(request.params.orderId as number, callerId(request));
                return toOrderView(await orders.findOwned(request.params.orderId as number, callerId(request)));
            },
        },
    },
];
