import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { PayConfig } from '../config';
import type { Models, Order } from '../models';
import { badReplyToBoom } from '../wechat/errors';
import { truncateUtf8 } from '../wechat/text';
import type { OrderSettlement } from './order-settlement';
import { paymentFromFields, type RequestPaymentParams, type WxPayService } from './wx-pay-service';

/** WeChat keeps a prepay_id for 2 hours; one this close to its end is not handed out again. */
const PREPAY_REUSE_MS = (120 - 10) * 60_000;
/** WeChat wants an order to stay payable at least a minute past unifiedorder. */
const MIN_TIME_TO_PAY_MS = 60_000;
/** unifiedorder's body: at most 128 bytes, so 127 leaves room for WeChat's terminator. */
const MAX_BODY_BYTES = 127;

export type QueryResult = 'paid' | 'closed' | 'unchanged';

/** Paying, closing and re-checking orders through WeChat Pay. */
export class PaymentService {
    constructor(
        private readonly models: Models,
        private readonly wxPay: WxPayService,
        private readonly settlement: OrderSettlement,
        private readonly pay: PayConfig,
        private readonly logger: Logger,
    ) {}

    /**
     * The parameters for wx.requestPayment. A recent prepay is reused, so a double tap makes
     * one unifiedorder; the amount is the order's stored total, never the caller's.
     */
    async requestPayment(orderId: number, userId: number, clientIp: string, now = new Date()): Promise<RequestPaymentParams> {
        const order = await this.models.Order.findOne({
            where: { id: orderId, userId },
            include: [
                { model: this.models.User, as: 'user', attributes: ['openId'] },
                { model: this.models.OrderGoods, as: 'items', include: [{ model: this.models.Goods, as: 'goods', attributes: ['name'], include: [{ model: this.models.Shop, as: 'shop', attributes: ['name'] }] }] },
            ],
            order: [['items', 'id', 'ASC']],
        });
        if (!order) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        assertUnpaid(order);
        if (order.expiresAt.getTime() - now.getTime() < MIN_TIME_TO_PAY_MS) {
            throw Boom.conflict(`order ${orderId} has expired; place a new order`);
        }
        if (order.prepayId && order.prepayAt && order.prepaySignType === this.wxPay.signType
            && now.getTime() - order.prepayAt.getTime() < PREPAY_REUSE_MS) {
            return this.wxPay.requestPaymentParams(order.prepayId, order.prepaySignType, now);
        }

        const reply = await this.wxPay.unifiedOrder({
            outTradeNo: order.outTradeNo,
            totalFee: order.totalFee,
            body: orderBody(order),
            openId: order.user!.openId,
            clientIp,
            expiresAt: order.expiresAt,
        });
        if (reply.result_code === 'SUCCESS') {
            if (!reply.prepay_id) {
                throw badReplyToBoom('unifiedorder', 'no prepay_id');
            }
            await this.models.Order.update(
                { prepayId: reply.prepay_id, prepayAt: now, prepaySignType: this.wxPay.signType },
                { where: { id: order.id, status: 'unpaid' } },
            );
            return this.wxPay.requestPaymentParams(reply.prepay_id, this.wxPay.signType, now);
        }
        if (reply.err_code === 'ORDERPAID') {
            await this.queryAndApply(order);
            throw Boom.conflict(`order ${orderId} is already paid`);
        }
        if (reply.err_code === 'ORDERCLOSED') {
            await this.settlement.settleClosed(order.id);
            throw Boom.conflict(`order ${orderId} is closed`);
        }
        throw this.wxPay.businessError('unifiedorder', reply);
    }

    /** Closes an unpaid order, at WeChat first when it has a prepay, so it can no longer be paid. */
    async close(orderId: number, userId: number): Promise<void> {
        const order = await this.models.Order.findOne({ where: { id: orderId, userId } });
        if (!order) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        if (order.status === 'closed') {
            return;
        }
        assertUnpaid(order);
        if ((await this.closeAtWechat(order)) !== 'closed') {
            throw Boom.conflict(`order ${orderId} is already paid`);
        }
        if (!(await this.settlement.settleClosed(order.id))) {
            await order.reload();
            assertUnpaid(order);
        }
    }

    /**
     * For GET /orders/{id}: an unpaid order with a prepay is checked with WeChat's orderquery,
     * at most once per throttle interval across instances and within the caller's budget
     * (asked only when a query would follow), so a missed notification heals.
     * WeChat being unreachable never fails the read.
     */
    async refresh(order: Order, withinCallerBudget: () => Promise<boolean>): Promise<boolean> {
        if (order.status !== 'unpaid' || !order.prepayId) {
            return false;
        }
        if (!(await this.claimQuery(order.id, this.pay.orderQueryThrottleMs)) || !(await withinCallerBudget())) {
            return false;
        }
        try {
            return (await this.queryAndApply(order)) !== 'unchanged';
        }
        catch (error) {
            this.logger.warn({ outTradeNo: order.outTradeNo, err: (error as Error).message }, 'orderquery failed; order left as it was');
            return false;
        }
    }

    /** Asks WeChat about an order and applies a payment or a close exactly as a notification would. */
    async queryAndApply(order: Pick<Order, 'id' | 'outTradeNo' | 'totalFee'>): Promise<QueryResult> {
        const reply = await this.wxPay.orderQuery(order.outTradeNo);
        if (reply.result_code !== 'SUCCESS') {
            if (reply.err_code === 'ORDERNOTEXIST') {
                return 'unchanged';
            }
            throw this.wxPay.businessError('orderquery', reply);
        }
        switch (reply.trade_state) {
            case 'SUCCESS': {
                const payment = paymentFromFields(reply);
                if (!payment) {
                    throw badReplyToBoom('orderquery', 'SUCCESS without transaction_id or total_fee');
                }
                return (await this.settlement.settlePaid(order, payment)).outcome === 'paid' ? 'paid' : 'unchanged';
            }
            case 'CLOSED':
            case 'REVOKED':
                return (await this.settlement.settleClosed(order.id)) ? 'closed' : 'unchanged';
            default:
                return 'unchanged';
        }
    }

    /**
     * closeorder at WeChat, so the order can no longer be paid there. 'closed' when WeChat
     * will take no payment for it; when WeChat says it is paid, the payment is synced instead.
     */
    async closeAtWechat(order: Pick<Order, 'id' | 'outTradeNo' | 'totalFee' | 'prepayId'>): Promise<'closed' | QueryResult> {
        if (!order.prepayId) {
            return 'closed';
        }
        const reply = await this.wxPay.closeOrder(order.outTradeNo);
        if (reply.result_code === 'SUCCESS' || reply.err_code === 'ORDERCLOSED' || reply.err_code === 'ORDERNOTEXIST') {
            return 'closed';
        }
        if (reply.err_code === 'ORDERPAID') {
            return this.queryAndApply(order);
        }
        throw this.wxPay.businessError('closeorder', reply);
    }

    /** Takes the right to ask WeChat about an order, at most once per `intervalMs`, across instances. */
    private async claimQuery(orderId: number, intervalMs: number, now = new Date()): Promise<boolean> {
        const [changed] = await this.models.Order.update({ queriedAt: now }, {
            where: {
                id: orderId,
                status: 'unpaid',
                [Op.or]: [{ queriedAt: null }, { queriedAt: { [Op.lte]: new Date(now.getTime() - intervalMs) } }],
            },
        });
        return changed === 1;
    }
}

function assertUnpaid(order: Order): void {
    if (order.status !== 'unpaid') {
        throw Boom.conflict(`order ${order.id} is ${order.status}`);
    }
}

/** "店铺1-商品1-1,商品1-2": shop and goods names, cut to WeChat's limit on a character boundary. */
export function orderBody(order: Order): string {
    const items = order.items ?? [];
    const shops = [...new Set(items.map((item) => item.goods?.shop?.name).filter(Boolean))].join('/');
    const goods = items.map((item) => item.goods?.name).filter(Boolean).join(',');
    return truncateUtf8([shops, goods].filter(Boolean).join('-') || `order ${order.outTradeNo}`, MAX_BODY_BYTES);
}
