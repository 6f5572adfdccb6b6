import type { Request, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { ORDER_STATUSES } from '../../models/order';
import { adminAccess } from '../../plugins/staff-auth';
import { exportOrders } from '../../services/console/order-export';
import { SHIP_WITHIN_MS, type OrderFilter, type OrderRow } from '../../services/console/order-search';
import { SCOPES } from '../../services/staff/roles';
import { orderSchema, toOrderView } from '../order-view';
import { beijingDaySchema, idParam, keysetPage, keysetPageSchema, keysetQuery, swaggerDocs } from '../schemas';

const merchantOrderSchema = orderSchema.keys({ user_id: Joi.number().integer().required().description('the shopper who placed it') }).label('MerchantOrder');

const filters = {
    status: Joi.string().valid(...ORDER_STATUSES).description('only orders in this status'),
    day: beijingDaySchema('day').description('placed on this Beijing day, YYYY-MM-DD'),
    paid_day: beijingDaySchema('paid_day').description('paid on this Beijing day, YYYY-MM-DD'),
    user_id: Joi.number().integer().min(1).max(2 ** 31 - 1).description("one shopper's orders"),
    openid: Joi.string().max(64).description("one shopper's orders, by WeChat openid"),
    out_trade_no: Joi.string().max(32).description('the order number sent to WeChat Pay'),
    transaction_id: Joi.string().max(32).description("WeChat Pay's transaction id"),
};

const listedOrderSchema = Joi.object({
    id: Joi.number().integer().required(),
    out_trade_no: Joi.string().required(),
    transaction_id: Joi.string().allow(null).required(),
    user_id: Joi.number().integer().required(),
    openid: Joi.string().allow(null).required(),
    status: Joi.string().valid(...ORDER_STATUSES).required().label('OrderStatus'),
    total_fee: Joi.number().integer().required().description('in fen'),
    created_at: Joi.date().required(),
    paid_at: Joi.date().allow(null).required(),
    shipped_at: Joi.date().allow(null).required(),
    completed_at: Joi.date().allow(null).required(),
    ship_by: Joi.date().allow(null).required().description("a paid order not yet shipped: WeChat's 48-hour shipping deadline (paid_at + 48 h)"),
    ship_overdue: Joi.boolean().required().description('past ship_by and still not shipped'),
}).label('ListedOrder');

function filterOf(request: Request): OrderFilter {
    const query = request.query as Record<string, string | number | undefined>;
    return {
        status: query.status as OrderFilter['status'], day: query.day as string | undefined, paidDay: query.paid_day as string | undefined,
        userId: query.user_id as number | undefined, openId: query.openid as string | undefined,
        outTradeNo: query.out_trade_no as string | undefined, transactionId: query.transaction_id as string | undefined,
    };
}

function toListedView(order: OrderRow, now: Date) {
    const shipBy = order.status === 'paid' && order.paidAt !== null ? new Date(order.paidAt.getTime() + SHIP_WITHIN_MS) : null;
    return {
        id: order.id, out_trade_no: order.outTradeNo, transaction_id: order.transactionId, user_id: order.userId, openid: order.openId,
        status: order.status, total_fee: order.totalFee, created_at: order.createdAt, paid_at: order.paidAt, shipped_at: order.shippedAt,
        completed_at: order.completedAt, ship_by: shipBy, ship_overdue: shipBy !== null && shipBy < now,
    };
}

/** The merchant's view of orders: the console's list and export, and any shopper's order by id. */
export const adminOrderRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/orders',
        options: {
            auth: adminAccess(SCOPES.ordersRead),
            tags: ['api', 'admin'],
            description: 'Orders, newest first, a keyset page at a time, filtered by status, day, shopper or number',
            notes: 'Filters combine. Pass next as before= for the next page: every page is one index range, however many orders there are.',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: { query: keysetQuery.keys(filters) },
            response: { schema: keysetPageSchema(listedOrderSchema, 'ListedOrderPage') },
            handler: async (request) => {
                const { before, limit } = request.query as { before?: number; limit: number };
                const page = keysetPage(await request.services().orderSearch.rows(filterOf(request), before, limit + 1), limit);
                const now = new Date();
                return { results: page.results.map((order) => toListedView(order, now)), next: page.next };
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/orders/export',
        options: {
            auth: adminAccess(SCOPES.ordersExport),
            tags: ['api', 'admin'],
            description: 'The orders the same filters select, as CSV (streamed, newest first)',
            notes: 'UTF-8 with a byte-order mark (Excel reads Chinese right); times in Beijing time; money in fen. Streamed 500 orders at a time: any size.',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: { query: Joi.object(filters) },
            handler: (request, h) => h.response(exportOrders(request.services().orderSearch, filterOf(request)))
                .type('text/csv; charset=utf-8')
                .header('content-disposition', `attachment; filename="orders-${new Date().toISOString().slice(0, 10)}.csv"`),
        },
    },
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
