import Joi from 'joi';

import type { Order, Refund, RefundRequest } from '../models';
import type { OrderSummary } from '../services/order-listings';
import { ITEM_DESC_MAX, LOGISTICS_TYPES } from '../models/shipment';
import { ORDER_STATUSES } from '../models/order';
import { refundRequestSchema, shopperRefundSchema, toRefundRequestView, toShopperRefundView } from './refund-view';

export const logisticsTypeSchema = Joi.string().valid(...LOGISTICS_TYPES).label('LogisticsType')
    .description('express: a parcel by an express company; same_city: local delivery; virtual: no goods to carry; pickup: collected by the shopper');

/** What was shipped, as the shopper sees it. */
export const shippedSchema = Joi.object({
    logistics_type: logisticsTypeSchema.required(),
    express_company: Joi.string().allow(null).required().description("WeChat's express company code (express only)").example('YTO'),
    tracking_no: Joi.string().allow(null).required().description('the tracking number (express only)').example('YT8759710021515'),
    item_desc: Joi.string().max(ITEM_DESC_MAX).required().example('商品1-1 ×2'),
    shipped_at: Joi.date().required(),
}).label('Shipped');

/** How an order looks to its owner: money in integer fen, field names as the mini-program knows them. */
export const orderSchema = Joi.object({
    id: Joi.number().integer().required().example(1),
    out_trade_no: Joi.string().required().description('the merchant order number sent to WeChat Pay').example('WX20261201100000000001'),
    total_fee: Joi.number().integer().required().description('total in fen').example(490),
    status: Joi.string().valid(...ORDER_STATUSES).required().label('OrderStatus'),
    transaction_id: Joi.string().allow(null).required().description("WeChat Pay's transaction id, once paid"),
    paid_at: Joi.date().allow(null).required(),
    expires_at: Joi.date().required().description('after this the order can no longer be paid'),
    created_at: Joi.date().required(),
    shipment: shippedSchema.allow(null).required().description('once the order is shipped'),
    goods: Joi.array().items(Joi.object({
        goods_id: Joi.number().integer().required().example(1),
        name: Joi.string().allow(null).required(),
        single_price: Joi.number().integer().required().description('price in fen when ordered').example(490),
        count: Joi.number().integer().required().example(1),
    }).label('OrderLine')).required().label('OrderLines'),
}).label('Order');

export function toOrderView(order: OrderSummary) {
    return {
        id: order.id,
        out_trade_no: order.outTradeNo,
        total_fee: order.totalFee,
        status: order.status,
        transaction_id: order.transactionId,
        paid_at: order.paidAt,
        expires_at: order.expiresAt,
        created_at: order.createdAt,
        shipment: order.shipment ? toShippedView(order.shipment, order.shippedAt ?? order.shipment.createdAt) : null,
        goods: (order.items ?? []).map((line) => ({
            goods_id: line.goodsId,
            name: line.goods?.name ?? null,
            single_price: line.singlePrice,
            count: line.count,
        })),
    };
}

function toShippedView(shipment: NonNullable<OrderSummary['shipment']>, shippedAt: Date) {
    return {
        logistics_type: shipment.logisticsType,
        express_company: shipment.expressCompany,
        tracking_no: shipment.trackingNo,
        item_desc: shipment.itemDesc,
        shipped_at: shippedAt,
    };
}

/** One order with its refunds and refund requests, as its owner reads it. */
export const orderDetailSchema = orderSchema.keys({
    refunded_fee: Joi.number().integer().required().description('in fen: the refunds that succeeded').example(0),
    refunds: Joi.array().items(shopperRefundSchema).required().label('OrderRefunds'),
    refund_requests: Joi.array().items(refundRequestSchema).required().label('OrderRefundRequests'),
}).label('OrderDetail');

export function toOrderDetailView(order: Order, refunds: readonly Refund[], requests: readonly RefundRequest[]) {
    return {
        ...toOrderView(order),
        refunded_fee: refunds.filter((refund) => refund.status === 'succeeded').reduce((sum, refund) => sum + refund.refundFee, 0),
        // A disputed refund is the shop's to look into, not money the shopper has been given; a cancelled one never happened.
        refunds: refunds.filter((refund) => refund.status !== 'disputed' && refund.status !== 'cancelled').map(toShopperRefundView),
        refund_requests: requests.map(toRefundRequestView),
    };
}

/** Exactly what wx.requestPayment takes (plus appId, which it ignores). */
export const requestPaymentSchema = Joi.object({
    appId: Joi.string().required().example('wxd930ea5d5a258f4f'),
    timeStamp: Joi.string().pattern(/^\d+$/).required().description('seconds since the epoch, as a string').example('1764583200'),
    nonceStr: Joi.string().max(32).required().example('5K8264ILTKCH16CQ2502SI8ZNMTM67VS'),
    package: Joi.string().pattern(/^prepay_id=/).required().example('prepay_id=wx201410272009395522657a690389285100'),
    signType: Joi.string().valid('MD5', 'HMAC-SHA256').required().label('SignType'),
    paySign: Joi.string().required().example('C380BEC2BFD727A4B6845133519F3AD6'),
}).label('RequestPayment');
