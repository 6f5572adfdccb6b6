import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { adminAccess } from '../../plugins/staff-auth';
import { DELIVERY_KINDS, type Delivery } from '../../services/delivery-log';
import { SCOPES } from '../../services/staff/roles';
import { orderSchema, toOrderView } from '../order-view';
import { refundRequestSchema, refundSchema, toRefundRequestView } from '../refund-view';
import { idParam, swaggerDocs } from '../schemas';
import { refundViews } from './refunds';
import { shipmentSchema, toShipmentView } from './shipments';

const fen = (what: string) => Joi.number().integer().allow(null).required().description(`${what}, in fen (null: no verified payment notification says)`);

export const deliverySchema = Joi.object({
    kind: Joi.string().valid(...DELIVERY_KINDS).required().label('DeliveryKind'),
    id: Joi.number().integer().required(),
    received_at: Joi.date().required(),
    out_trade_no: Joi.string().allow(null).required(),
    transaction_id: Joi.string().allow(null).required(),
    out_refund_no: Joi.string().allow(null).required(),
    authentic: Joi.boolean().allow(null).required().description('payment: the signature verified; refund: req_info decrypted with our key'),
    outcome: Joi.string().required().description('paid, duplicate, payment_failed, rejected… (payment); applied, duplicate, rejected (refund)'),
    reason: Joi.string().allow(null).required(),
    body_bytes: Joi.number().integer().allow(null).required(),
    body_sha256: Joi.string().allow(null).required(),
}).label('Delivery');

export function toDeliveryView(delivery: Delivery) {
    return {
        kind: delivery.kind, id: delivery.id, received_at: delivery.receivedAt, out_trade_no: delivery.outTradeNo, transaction_id: delivery.transactionId,
        out_refund_no: delivery.outRefundNo, authentic: delivery.authentic, outcome: delivery.outcome, reason: delivery.reason,
        body_bytes: delivery.bodyBytes, body_sha256: delivery.bodySha256,
    };
}

const orderPageSchema = Joi.object({
    order: orderSchema.keys({
        user_id: Joi.number().integer().required(),
        openid: Joi.string().allow(null).required(),
        prepay_at: Joi.date().allow(null).required(),
        shipped_at: Joi.date().allow(null).required(),
        completed_at: Joi.date().allow(null).required(),
    }).required().label('ConsoleOrder'),
    payment: Joi.object({
        total_fee: Joi.number().integer().required().description("the order's total, in fen"),
        paid_total_fee: fen("WeChat's total_fee"),
        cash_fee: fen('what left the shopper\'s balance or card'),
        coupon_fee: fen('what coupons paid'),
        coupon_count: Joi.number().integer().allow(null).required(),
        transaction_id: Joi.string().allow(null).required(),
        paid_at: Joi.date().allow(null).required(),
    }).required().label('OrderPayment'),
    notifications: Joi.array().items(deliverySchema).required().label('OrderDeliveries'),
    refunds: Joi.array().items(refundSchema).required().label('OrderPageRefunds'),
    refund_requests: Joi.array().items(refundRequestSchema).required().label('OrderPageRefundRequests'),
    shipments: Joi.array().items(shipmentSchema).required().label('OrderPageShipments'),
    timeline: Joi.array().items(Joi.object({
        at: Joi.date().required(),
        event: Joi.string().required().example('order.paid'),
        detail: Joi.string().required(),
        actor: Joi.string().allow(null).required().description('the staff member (or api-key) for staff writes'),
    }).label('TimelineEntry')).required().label('OrderTimeline'),
}).label('ConsoleOrderPage');

/** An order's page in the console: everything about it, read once (no call to WeChat). */
export const adminOrderPageRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/orders/{orderId}/page',
        options: {
            auth: adminAccess(SCOPES.ordersRead),
            tags: ['api', 'admin'],
            description: "An order's page: lines, payment (with coupons), every notification received and its outcome, refunds, shipments, a timeline",
            notes: 'The timeline merges the order\'s own moments, the notifications, refunds, refund requests, shipment uploads and the staff writes to it.',
            plugins: swaggerDocs({ admin: true, errors: [400, 404] }),
            validate: { params: Joi.object({ orderId: idParam('order') }) },
            response: { schema: orderPageSchema },
            handler: async (request) => {
                const page = await request.services().orderPages.of(request.params.orderId as number);
                const { order, paid } = page;
                return {
                    order: { ...toOrderView(order), user_id: order.userId, openid: page.openId, prepay_at: order.prepayAt, shipped_at: order.shippedAt, completed_at: order.completedAt },
                    payment: {
                        total_fee: order.totalFee, paid_total_fee: paid.totalFee, cash_fee: paid.cashFee, coupon_fee: paid.couponFee, coupon_count: paid.couponCount,
                        transaction_id: order.transactionId, paid_at: order.paidAt,
                    },
                    notifications: page.deliveries.map(toDeliveryView),
                    refunds: await refundViews(request, page.refunds),
                    refund_requests: page.refundRequests.map(toRefundRequestView),
                    shipments: page.shipments.map(toShipmentView),
                    timeline: page.timeline,
                };
            },
        },
    },
];
