import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { Alert } from '../../models';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { keysetPage, keysetPageSchema, keysetQuery, swaggerDocs } from '../schemas';

const alertSchema = Joi.object({
    id: Joi.number().integer().required(),
    at: Joi.date().required(),
    event: Joi.string().required().example('alert.reconciliation'),
    kind: Joi.string().allow(null).required().description("the alert's kind within its event (a discrepancy's kind…)").example('missing_here'),
    message: Joi.string().required(),
    details: Joi.object().unknown(true).required().label('AlertDetails').description('the logged fields (order numbers, amounts, what to fix)'),
    request_id: Joi.string().allow(null).required(),
}).label('Alert');

const toAlertView = (alert: Alert) => ({
    id: alert.id, at: alert.createdAt, event: alert.event, kind: alert.kind, message: alert.message, details: JSON.parse(alert.details) as object, request_id: alert.requestId,
});

const fenCount = (label: string) => Joi.object({ count: Joi.number().integer().required(), amount: Joi.number().integer().required().description('in fen') }).label(label);

const dashboardSchema = Joi.object({
    day: Joi.string().required().description('today, Beijing time'),
    paid: fenCount('DashboardPaid').required().description('orders paid today'),
    refunds: fenCount('DashboardRefunds').keys({ awaiting_approval: Joi.number().integer().required().description('refunds waiting for a second staff member (any day)') }).required(),
    to_ship: Joi.object({
        count: Joi.number().integer().required().description('paid orders not shipped'),
        overdue: Joi.number().integer().required().description("of those, past WeChat's 48-hour shipping deadline"),
        oldest: Joi.array().items(Joi.object({
            id: Joi.number().integer().required(),
            out_trade_no: Joi.string().required(),
            total_fee: Joi.number().integer().required(),
            paid_at: Joi.date().required(),
            ship_by: Joi.date().required().description('paid_at + 48 h'),
            overdue: Joi.boolean().required(),
        }).label('OrderToShip')).required().label('OrdersToShip'),
    }).required().label('DashboardToShip'),
    after_sale: Joi.object({ pending: Joi.number().integer().required().description("shoppers' refund requests waiting") }).required().label('DashboardAfterSale'),
    alerts: Joi.array().items(alertSchema).required().label('RecentAlerts'),
}).label('Dashboard');

/** The console's first page, and the alerts it shows. */
export const adminDashboardRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/dashboard',
        options: {
            auth: adminAccess(SCOPES.dashboard),
            tags: ['api', 'admin'],
            description: "Today (Beijing) at a glance: takings, refunds, orders to ship with WeChat's 48-hour deadline, refund requests waiting, recent alerts",
            plugins: swaggerDocs({ admin: true }),
            response: { schema: dashboardSchema },
            handler: async (request) => {
                const today = await request.services().dashboard.today();
                return {
                    day: today.day,
                    paid: today.paid,
                    refunds: { count: today.refunds.count, amount: today.refunds.amount, awaiting_approval: today.refunds.awaitingApproval },
                    to_ship: {
                        count: today.toShip.count,
                        overdue: today.toShip.overdue,
                        oldest: today.toShip.oldest.map((order) => ({
                            id: order.id, out_trade_no: order.outTradeNo, total_fee: order.totalFee, paid_at: order.paidAt, ship_by: order.deadline, overdue: order.overdue,
                        })),
                    },
                    after_sale: today.afterSale,
                    alerts: today.alerts.map(toAlertView),
                };
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/alerts',
        options: {
            auth: adminAccess(SCOPES.dashboard),
            tags: ['api', 'admin'],
            description: 'Alerts the app raised (alert.* log events), newest first',
            notes: 'The newest 10,000 are kept. Each is also a log line at level error or warn with the same event.',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: { query: keysetQuery.keys({ event: Joi.string().max(64).pattern(/^alert\./).description('only this event, e.g. alert.reconciliation') }) },
            response: { schema: keysetPageSchema(alertSchema, 'AlertPage') },
            handler: async (request) => {
                const { before, limit, event } = request.query as { before?: number; limit: number; event?: string };
                const page = keysetPage(await request.services().alerts.page(limit + 1, before, event), limit);
                return { results: page.results.map(toAlertView), next: page.next };
            },
        },
    },
];
