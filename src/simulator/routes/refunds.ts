import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { BillTamper } from '../trade-bill';
import { isRefusal, openRefund, settleRefund, type SettledStatus } from '../refund-flow';
import type { Refund } from '../refunds';
import type { Simulator } from '../simulator';
import { failWithDetail, JSON_PAYLOAD } from './validation';

interface PlatformRefund {
    readonly out_trade_no?: string;
    readonly transaction_id?: string;
    readonly refund_fee: number;
}

const platformRefund = Joi.object<PlatformRefund>({
    out_trade_no: Joi.string().max(32),
    transaction_id: Joi.string().max(32),
    refund_fee: Joi.number().integer().min(1).max(9_999_999_999).required(),
}).xor('out_trade_no', 'transaction_id');

interface TamperRequest {
    readonly out_trade_no: string;
    readonly out_refund_no?: string;
    readonly action: BillTamper['action'];
    readonly amount?: number;
}

const billTamper = Joi.object<TamperRequest>({
    out_trade_no: Joi.string().max(32).required(),
    out_refund_no: Joi.string().max(64),
    action: Joi.string().valid('drop', 'amount').required(),
    amount: Joi.number().integer().min(0).max(9_999_999_999).when('action', { is: 'amount', then: Joi.required(), otherwise: Joi.forbidden() }),
});

const SETTLED_STATUSES: readonly SettledStatus[] = ['SUCCESS', 'REFUNDCLOSE', 'CHANGE'];

/** What the merchant does outside the API (refund by hand in the merchant platform) and sees there (an order's refunds); and what tests do to bills. */
export function refundRoutes(simulator: Simulator): ServerRoute[] {
    return [
        {
            // Every refund WeChat holds for an order, as the merchant platform lists them (none for an unknown order).
            method: 'GET',
            path: '/simulator/refunds',
            options: { validate: { query: Joi.object({ out_trade_no: Joi.string().max(32).required() }), failAction: failWithDetail } },
            handler: (request) => {
                const order = simulator.orders.find((request.query as { out_trade_no: string }).out_trade_no);
                return order === undefined ? [] : simulator.refunds.ofOrder(order).map(refundView);
            },
        },
        {
            method: 'POST',
            path: '/simulator/refunds',
            options: { payload: JSON_PAYLOAD, validate: { payload: platformRefund, failAction: failWithDetail } },
            handler: (request, h) => {
                const { out_trade_no, transaction_id, refund_fee } = request.payload as PlatformRefund;
                const order = transaction_id === undefined ? simulator.orders.find(out_trade_no as string) : simulator.orders.findByTransactionId(transaction_id);
                if (order === undefined) {
                    throw Boom.notFound(`no order ${transaction_id ?? out_trade_no}`);
                }
                const outcome = openRefund(simulator, { order, refundFee: refund_fee, source: 'VENDOR_PLATFORM', notifyUrl: simulator.refundNotifyUrl });
                if (isRefusal(outcome)) {
                    throw Boom.conflict(`${outcome.errCode}: ${outcome.description}`);
                }
                return h.response(refundView(outcome)).code(201);
            },
        },
        {
            // Ends a refund now, as WeChat's bank would: SUCCESS, or the REFUNDCLOSE and CHANGE an app must also handle.
            method: 'POST',
            path: '/simulator/refunds/{out_refund_no}/settle',
            options: {
                payload: JSON_PAYLOAD,
                validate: {
                    params: Joi.object({ out_refund_no: Joi.string().max(64).required() }),
                    payload: Joi.object({ refund_status: Joi.string().valid(...SETTLED_STATUSES).required() }),
                    failAction: failWithDetail,
                },
            },
            handler: (request) => {
                const { out_refund_no } = request.params as { out_refund_no: string };
                const refund = simulator.refunds.find(out_refund_no);
                if (refund === undefined) {
                    throw Boom.notFound(`no refund ${out_refund_no}`);
                }
                if (!settleRefund(simulator, refund, (request.payload as { refund_status: SettledStatus }).refund_status)) {
                    throw Boom.conflict(`refund ${out_refund_no} is already ${refund.status}`);
                }
                return refundView(refund);
            },
        },
        {
            method: 'POST',
            path: '/simulator/bills/tamper',
            options: { payload: JSON_PAYLOAD, validate: { payload: billTamper, failAction: failWithDetail } },
            handler: (request, h) => {
                const tamper = request.payload as TamperRequest;
                simulator.bills.add({ outTradeNo: tamper.out_trade_no, outRefundNo: tamper.out_refund_no, action: tamper.action, amount: tamper.amount });
                return h.response(tamper).code(201);
            },
        },
        {
            method: 'DELETE',
            path: '/simulator/bills/tamper',
            handler: (_request, h) => {
                simulator.bills.clear();
                return h.response().code(204);
            },
        },
    ];
}

function refundView(refund: Refund) {
    return {
        out_trade_no: refund.order.outTradeNo,
        out_refund_no: refund.outRefundNo,
        refund_id: refund.refundId,
        refund_fee: refund.refundFee,
        refund_status: refund.status,
        notify_url: refund.notifyUrl ?? null,
    };
}
