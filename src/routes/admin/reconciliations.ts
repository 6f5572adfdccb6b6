import { Readable } from 'node:stream';

import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { RECONCILIATION_STATUSES, REPORTED_STATUSES } from '../../models/reconciliation-report';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { DISCREPANCY_KINDS } from '../../services/bill-comparison';
import { toReconciliationView } from '../reconciliation-view';
import { beijingMonthOf } from '../../services/console/reconciliation-calendar';
import { isBeijingDay } from '../../wechat/beijing-day';
import { errorSchema, swaggerDocs } from '../schemas';

const fen = (what: string) => Joi.number().integer().allow(null).required().description(`${what}, in fen (null where it is not listed)`);

const discrepancySchema = Joi.object({
    kind: Joi.string().valid(...DISCREPANCY_KINDS).required().label('DiscrepancyKind')
        .description("missing_here: WeChat took a payment we do not show as paid that day; missing_at_wechat: the reverse; amount_mismatch: total_fee differs; refund_*: the same for refunds"),
    out_trade_no: Joi.string().required(),
    out_refund_no: Joi.string().allow(null).required(),
    wechat_fee: fen("WeChat's bill"),
    our_fee: fen('our books'),
    healed: Joi.boolean().allow(null).required().description('missing_here: orderquery confirmed the payment and the order is now paid'),
}).label('ReconciliationDiscrepancy');

const reportSchema = Joi.object({
    bill_date: Joi.string().required().description('the Beijing day, YYYY-MM-DD'),
    status: Joi.string().valid(...REPORTED_STATUSES).required().label('ReconciliationStatus')
        .description('agreed: no discrepancy; disagreed: see discrepancies'),
    bill_payments: Joi.number().integer().min(0).required().description("payments on WeChat's bill"),
    bill_refunds: Joi.number().integer().min(0).required().description("refunds on WeChat's bill"),
    our_payments: Joi.number().integer().min(0).required().description('orders paid that day in our books (before healing)'),
    our_refunds: Joi.number().integer().min(0).required().description('refunds of that day in our books'),
    discrepancy_count: Joi.number().integer().min(0).required(),
    discrepancies: Joi.array().items(discrepancySchema).required().label('ReconciliationDiscrepancies'),
    created_at: Joi.date().iso().required(),
}).label('ReconciliationReport');

const dateParam = Joi.string().required().custom((value: string, helpers) => (isBeijingDay(value) ? value : helpers.error('any.invalid')))
    .messages({ 'any.invalid': '"date" must be a day written YYYY-MM-DD' })
    .description('a Beijing day, YYYY-MM-DD');

const docs = swaggerDocs({ admin: true, errors: [400, 409, 502, 503, 504] });
docs['hapi-swagger'].responses[409] = { description: "WeChat's bill of the day is not ready yet, or another instance is making the report", schema: errorSchema };

const calendarSchema = Joi.object({
    month: Joi.string().required(),
    days: Joi.array().items(Joi.object({
        day: Joi.string().required(),
        status: Joi.string().valid(...RECONCILIATION_STATUSES, 'not_made', 'bill_not_ready').required().label('CalendarStatus')
            .description('running: being made; failed: the last attempt failed (it is tried again); not_made: the bill is ready but no report was made (GET the day to make it); bill_not_ready: too early'),
        discrepancies: Joi.number().integer().required(),
        healed: Joi.number().integer().required().description('payments WeChat took that our books missed, healed through orderquery'),
        made_at: Joi.date().allow(null).required(),
    }).label('CalendarDay')).required().label('CalendarDays'),
}).label('ReconciliationCalendar');

const monthQuery = Joi.string().pattern(/^\d{4}-(0[1-9]|1[0-2])$/).message('"month" must be a month written YYYY-MM').description('YYYY-MM (default: this month, Beijing time)');

/** The daily comparison of WeChat's bill with our books. */
export const adminReconciliationRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/reconciliations',
        options: {
            auth: adminAccess(SCOPES.reconciliation),
            tags: ['api', 'admin'],
            description: "A month's calendar of reconciliations: each day's status and its discrepancies",
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: { query: Joi.object({ month: monthQuery }) },
            response: { schema: calendarSchema },
            handler: async (request) => {
                const month = (request.query as { month?: string }).month ?? beijingMonthOf(new Date());
                const days = await request.services().reconciliationCalendar.month(month);
                return { month, days: days.map((day) => ({ day: day.day, status: day.status, discrepancies: day.discrepancies, healed: day.healed, made_at: day.madeAt })) };
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/reconciliations/{date}/bill',
        options: {
            auth: adminAccess(SCOPES.reconciliation),
            tags: ['api', 'admin'],
            description: "WeChat's bill of the day (downloadbill), as CSV: its payments, then its refunds",
            plugins: swaggerDocs({ admin: true, errors: [400, 409, 502, 503, 504] }),
            validate: { params: Joi.object({ date: dateParam }) },
            handler: async (request, h) => {
                const date = request.params.date as string;
                return h.response(Readable.from(await request.services().reconciliationCalendar.billCsv(date), { objectMode: false }))
                    .type('text/csv; charset=utf-8')
                    .header('content-disposition', `attachment; filename="wechat-bill-${date}.csv"`);
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/reconciliations/{date}',
        options: {
            auth: adminAccess(SCOPES.reconciliation),
            tags: ['api', 'admin'],
            description: "A day's reconciliation against WeChat's bill: the stored report, or one made now",
            notes: "Compares WeChat's bill of the day (read as it downloads, however large) with the orders paid that day and the day's refunds, heals payments whose notification was lost (orderquery), and stores the report: later calls return it. 409 until the bill is ready (RECONCILE_BILL_HOUR, Beijing time, the day after). 502 when WeChat's bill cannot be had or is larger than RECONCILE_BILL_MAX_BYTES: the day is recorded as failed, tried again by the daily job, and at once by the next call.",
            plugins: docs,
            validate: { params: Joi.object({ date: dateParam }) },
            response: { schema: reportSchema },
            handler: async (request) => toReconciliationView(await request.services().reconciliation.reportFor(request.params.date as string)),
        },
    },
];
