import { setTimeout as sleep } from 'node:timers/promises';

import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { PayConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models, Order } from '../models';
import type { PayGateway, RequestPaymentParams } from '../wechat/pay-gateway';
import { truncateUtf8 } from '../wechat/text';
import type { OrderSettlement } from './order-settlement';
import { OrderStatus } from './order-states';
import { PayableOrders, type DescribedItem, type PayableOrder } from './payable-orders';

/** WeChat keeps a prepay_id for 2 hours; one this close to its end is not handed out again. */
const PREPAY_REUSE_MS = (120 - 10) * 60_000;
/** WeChat wants an order to stay payable at least a minute past unifiedorder. */
const MIN_TIME_TO_PAY_MS = 60_000;
/** unifiedorder's body: at most 128 bytes, so 127 leaves room for WeChat's terminator. */
const MAX_BODY_BYTES = 127;

export type QueryResult = 'paid' | 'closed' | 'unchanged';

/** Polling interval while another request holds the order's pay claim. */
const CLAIM_POLL_MS = 50;

/** Paying, closing and re-checking orders through WeChat Pay. */
export class PaymentService {
    /** How long one request may hold an order's pay claim: longer than a unifiedorder can take. */
    private readonly payClaimMs: number;
    private readonly payable: PayableOrders;

    constructor(
        private readonly models: Models,
        private readonly gateway: PayGateway,
        private readonly settlement: OrderSettlement,
        private readonly pay: PayConfig,
        private readonly logger: Logger,
        wechatTimeoutMs: number,
    ) {
        this.payClaimMs = wechatTimeoutMs + 2000;
        this.payable = new PayableOrders(models);
    }

    /**
     * The parameters for wx.requestPayment. The amount is the order's stored total, never the
     * caller's. A recent prepay is reused; while one request asks WeChat for a prepay it holds
     * the order's pay claim, and concurrent requests (on any instance) wait for its prepay, so
     * taps share one unifiedorder. Parameters are handed out only for a prepay stored on a
     * still-unpaid order: a close that won the race leaves this request with a 409.
     */
    async requestPayment(orderId: number, userId: number, clientIp: string, now = new Date()): Promise<RequestPaymentParams> {
        const waitUntil = Date.now() + this.payClaimMs;
        for (;;) {
            const order = await this.payable.find(orderId, userId);
            if (!order) {
                throw Boom.notFound(`order ${orderId} not found`);
            }
            assertUnpaid(order);
            if (order.expiresAt.getTime() - now.getTime() < MIN_TIME_TO_PAY_MS) {
                throw Boom.conflict(`order ${orderId} has expired; place a new order`);
            }
            if (this.reusablePrepay(order, now)) {
                return this.gateway.requestPaymentParams(order.prepayId!, order.prepaySignType!, now);
            }
            if (await this.claimPay(order.id, now)) {
                try {
                    // Storing the prepay releases the claim in the same UPDATE.
                    return await this.placePrepay(order, clientIp, now);
                }
                catch (error) {
                    await this.payable.release(order.id);
                    throw error;
                }
            }
            if (Date.now() > waitUntil) {
                throw Boom.conflict(`payment of order ${orderId} is being started by another request; try again`);
            }
            await sleep(CLAIM_POLL_MS);
        }
    }

    private reusablePrepay(order: PayableOrder, now: Date): boolean {
        return Boolean(order.prepayId && order.prepayAt && order.prepaySignType === this.gateway.prepaySignature
            && now.getTime() - order.prepayAt.getTime() < PREPAY_REUSE_MS);
    }

    /** Takes the right to ask WeChat for this order's prepay, unless another request holds it or a reusable prepay is there. */
    private async claimPay(orderId: number, now: Date): Promise<boolean> {
        return this.payable.claim(orderId, {
            now,
            until: new Date(now.getTime() + this.payClaimMs),
            reusableAfter: new Date(now.getTime() - PREPAY_REUSE_MS),
            signType: this.gateway.prepaySignature,
        });
    }

    /** unifiedorder, holding the pay claim; the prepay is handed out only if it was stored on the unpaid order. */
    private async placePrepay(order: PayableOrder, clientIp: string, now: Date): Promise<RequestPaymentParams> {
        const prepay = await this.gateway.placePrepay({
            outTradeNo: order.outTradeNo,
            totalFee: order.totalFee,
            body: orderBody(order),
            openId: order.openId,
            clientIp,
            expiresAt: order.expiresAt,
        });
        switch (prepay.outcome) {
            case 'already_paid':
                await this.queryAndApply(order);
                throw Boom.conflict(`order ${order.id} is already paid`);
            case 'closed':
                await this.settlement.closeConfirmed(order.id);
                throw Boom.conflict(`order ${order.id} is closed`);
            case 'created':
                break;
        }
        const signature = this.gateway.prepaySignature;
        if (!(await this.payable.storePrepay(order.id, prepay.prepayId, now, signature))) {
            const current = await this.models.Order.findByPk(order.id, { attributes: ['id', 'status'] });
            throw Boom.conflict(`order ${order.id} is ${current?.status ?? 'gone'}`);
        }
        this.logger.info({ event: 'prepay.created', outTradeNo: order.outTradeNo, totalFee: order.totalFee }, 'prepay created');
        return this.gateway.requestPaymentParams(prepay.prepayId, signature, now);
    }

    /**
     * Closes an unpaid order so it can no longer be paid. Without a prepay it closes here, in an
     * UPDATE that a prepay stored meanwhile forbids; with one, only after WeChat's closeorder.
     */
    async close(orderId: number, userId: number): Promise<void> {
        const order = await this.models.Order.findOne({ where: { id: orderId, userId }, attributes: ['id', 'outTradeNo', 'totalFee', 'status', 'prepayId'] });
        if (!order) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        for (;;) {
            if (order.status === OrderStatus.closed) {
                return;
            }
            assertUnpaid(order);
            if (order.prepayId === null) {
                if (await this.settlement.closeWithoutPrepay(order.id)) {
                    return;
                }
            }
            else {
                if ((await this.closeAtWechat(order)) !== 'closed') {
                    throw Boom.conflict(`order ${orderId} is already paid`);
                }
                if (await this.settlement.closeConfirmed(order.id)) {
                    return;
                }
            }
            // A pay (prepay stored) or a payment got there first: judge the order as it is now.
            await order.reload();
        }
    }

    /**
     * For GET /orders/{id}: an unpaid order with a prepay is checked with WeChat's orderquery,
     * at most once per throttle interval across instances and within the caller's budget
     * (asked only when a query would follow), so a missed notification heals.
     * WeChat being unreachable never fails the read.
     */
    async refresh(order: Order, withinCallerBudget: () => Promise<boolean>): Promise<boolean> {
        if (order.status !== OrderStatus.unpaid || !order.prepayId) {
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
        const trade = await this.gateway.queryTrade(order.outTradeNo);
        switch (trade.state) {
            case 'paid':
                return (await this.settlement.settlePaid(order, trade.payment)).outcome === 'paid' ? 'paid' : 'unchanged';
            case 'closed':
                return (await this.settlement.closeConfirmed(order.id)) ? 'closed' : 'unchanged';
            case 'unpaid':
            case 'not_found':
                return 'unchanged';
        }
    }

    /**
     * closeorder at WeChat for an order that has a prepay, so it can no longer be paid there.
     * 'closed' when WeChat will take no payment for it; when WeChat says it is paid, the
     * payment is synced instead.
     */
    async closeAtWechat(order: Pick<Order, 'id' | 'outTradeNo' | 'totalFee'>): Promise<'closed' | QueryResult> {
        return (await this.gateway.closeTrade(order.outTradeNo)) === 'closed' ? 'closed' : this.queryAndApply(order);
    }

    /** Takes the right to ask WeChat about an order, at most once per `intervalMs`, across instances. */
    private async claimQuery(orderId: number, intervalMs: number, now = new Date()): Promise<boolean> {
        const changed = await updateWhere(this.models.Order, { queriedAt: now }, {
            id: orderId,
            status: OrderStatus.unpaid,
            [Op.or]: [{ queriedAt: null }, { queriedAt: { [Op.lte]: new Date(now.getTime() - intervalMs) } }],
        });
        return changed === 1;
    }
}

function assertUnpaid(order: Pick<Order, 'id' | 'status'>): void {
    if (order.status !== OrderStatus.unpaid) {
        throw Boom.conflict(`order ${order.id} is ${order.status}`);
    }
}

/** "店铺1-商品1-1,商品1-2": shop and goods names, cut to WeChat's limit on a character boundary. */
export function orderBody(order: Pick<Order, 'outTradeNo'> & { readonly items?: readonly DescribedItem[] }): string {
    const items = order.items ?? [];
    const shops = [...new Set(items.map((item) => item.goods?.shop?.name).filter(Boolean))].join('/');
    const goods = items.map((item) => item.goods?.name).filter(Boolean).join(',');
    return truncateUtf8([shops, goods].filter(Boolean).join('-') || `order ${order.outTradeNo}`, MAX_BODY_BYTES);
}
