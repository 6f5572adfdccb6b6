import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { BillTamper } from '../bill';
import { isRefusal, openRefund } from '../refund-flow';
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

/** What the merchant does outside the API: refund by hand in the merchant platform; and what tests do to bills. */
export function refundRoutes(simulator: Simulator): ServerRoute[] {
    return [
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
                // WeChat numbers a platform refund itself: its out_refund_no is its refund_id.
                const outcome = openRefund(simulator, { order, outRefundNo: '', refundFee: refund_fee, source: 'VENDOR_PLATFORM', notifyUrl: simulator.refundNotifyUrl });
                if (isRefusal(outcome)) {
                    throw Boom.conflict(`${outcome.errCode}: ${outcome.description}`);
                }
                return h.response({
                    out_trade_no: order.outTradeNo,
                    out_refund_no: outcome.outRefundNo,
                    refund_id: outcome.refundId,
                    refund_fee: outcome.refundFee,
                    refund_status: outcome.status,
                    notify_url: outcome.notifyUrl ?? null,
                }).code(201);
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
