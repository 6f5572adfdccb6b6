import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { makeBusyDay } from '../busy-day';
import type { Simulator } from '../simulator';
import { failWithDetail, JSON_PAYLOAD } from './validation';

interface BusyDayRequest {
    readonly count: number;
    readonly total_fee?: number;
    readonly body?: string;
    readonly paid_at?: Date;
}

const busyDayRequest = Joi.object<BusyDayRequest>({
    count: Joi.number().integer().min(1).max(1_000_000).required(),
    total_fee: Joi.number().integer().min(1).max(9_999_999_999),
    body: Joi.string().max(128),
    paid_at: Joi.date().iso().max('now'),
});

/** What tests and the benchmark do to make a bill of any size: a day's payments by other shoppers (today's by default). */
export function busyDayRoutes(simulator: Simulator): ServerRoute[] {
    return [{
        method: 'POST',
        path: '/simulator/bills/payments',
        options: { payload: JSON_PAYLOAD, validate: { payload: busyDayRequest, failAction: failWithDetail } },
        handler: (request, h) => {
            const { count, total_fee: totalFee, body, paid_at: paidAt } = request.payload as BusyDayRequest;
            const payments = makeBusyDay(simulator, { count, totalFee, body, paidAt });
            return h.response({
                payments: payments.map((payment) => ({
                    out_trade_no: payment.outTradeNo, transaction_id: payment.transactionId, total_fee: payment.totalFee, paid_at: payment.paidAt.toISOString(),
                })),
            }).code(201);
        },
    }];
}
