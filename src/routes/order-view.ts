import Joi from 'joi';

import type { Order } from '../models';

/** How an order looks to its owner: money in integer fen, field names as the mini-program knows them. */
export const orderSchema = Joi.object({
    id: Joi.number().integer().required(),
    out_trade_no: Joi.string().required().description('the merchant order number sent to WeChat Pay'),
    total_fee: Joi.number().integer().required().description('total in fen'),
    status: Joi.string().valid('unpaid', 'paid', 'closed', 'refunded').required(),
    transaction_id: Joi.string().allow(null).required().description("WeChat Pay's transaction id, once paid"),
    paid_at: Joi.date().allow(null).required(),
    expires_at: Joi.date().required().description('after this the order can no longer be paid'),
    created_at: Joi.date().required(),
    goods: Joi.array().items(Joi.object({
        goods_id: Joi.number().integer().required(),
        name: Joi.string().allow(null).required(),
        single_price: Joi.number().integer().required().description('price in fen when ordered'),
        count: Joi.number().integer().required(),
    }).label('OrderLine')).required(),
}).label('Order');

export function toOrderView(order: Order) {
    return {
        id: order.id,
        out_trade_no: order.outTradeNo,
        total_fee: order.totalFee,
        status: order.status,
        transaction_id: order.transactionId,
        paid_at: order.paidAt,
        expires_at: order.expiresAt,
        created_at: order.createdAt,
        goods: (order.items ?? []).map((line) => ({
            goods_id: line.goodsId,
            name: line.goods?.name ?? null,
            single_price: line.singlePrice,
            count: line.count,
        })),
    };
}

/** Exactly what wx.requestPayment takes (plus appId, which it ignores). */
export const requestPaymentSchema = Joi.object({
    appId: Joi.string().required(),
    timeStamp: Joi.string().pattern(/^\d+$/).required().description('seconds since the epoch, as a string'),
    nonceStr: Joi.string().max(32).required(),
    package: Joi.string().pattern(/^prepay_id=/).required(),
    signType: Joi.string().valid('MD5', 'HMAC-SHA256').required(),
    paySign: Joi.string().required(),
}).label('RequestPayment');
