import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Logger } from 'pino';

import type { Models, Order } from '../models';
import type { WxPayment } from '../wechat/pay-gateway';
import { applyTransition, OrderStatus, TRANSITIONS, type TransitionOptions } from './order-states';

export type Settlement =
    | { readonly outcome: 'paid' | 'duplicate' }
    | { readonly outcome: 'rejected'; readonly reason: string };

/** What settling a payment needs to know of the order. */
export type SettleableOrder = Pick<Order, 'id' | 'outTradeNo' | 'totalFee'>;

/**
 * Payments and closes, applied through the order state machine (order-states.ts): each move
 * is one conditional UPDATE judged by the rows it changed, so concurrent deliveries of one
 * payment change the order exactly once, on SQLite and MySQL alike.
 */
export class OrderSettlement {
    constructor(
        private readonly models: Models,
        private readonly logger: Logger,
    ) {}

    /**
     * Applies a payment WeChat vouches for (verified notification or orderquery), inside
     * `transaction` when the caller records something with it. The money is real: a closed
     * order is paid too, and raised as an alert so the shop ships or refunds.
     */
    async settlePaid(order: SettleableOrder, payment: WxPayment, transaction?: Transaction): Promise<Settlement> {
        if (payment.outTradeNo !== order.outTradeNo) {
            return { outcome: 'rejected', reason: 'out_trade_no does not match the order' };
        }
        if (payment.totalFee !== order.totalFee) {
            this.logger.error({ event: 'alert.amount_mismatch', alert: 'payment_amount_mismatch', outTradeNo: order.outTradeNo, orderTotalFee: order.totalFee, paidTotalFee: payment.totalFee },
                'ALERT: WeChat reports a payment whose total_fee differs from the order');
            return { outcome: 'rejected', reason: `total_fee ${payment.totalFee} does not match the order's ${order.totalFee}` };
        }

        const values = { transactionId: payment.transactionId, paidAt: payment.paidAt, claimedUntil: null, payClaimedUntil: null };
        for (const from of TRANSITIONS.pay.from) {
            let changed: boolean;
            try {
                changed = await applyTransition(this.models, order.id, 'pay', from, { values, transaction });
            }
            catch (error) {
                if (error instanceof UniqueConstraintError) {
                    return this.conflict(order, payment, 'transaction_id already belongs to another order');
                }
                throw error;
            }
            if (changed) {
                if (from === OrderStatus.closed) {
                    this.logger.error({ event: 'alert.closed_order_paid', alert: 'closed_order_paid', outTradeNo: order.outTradeNo, transactionId: payment.transactionId, totalFee: payment.totalFee },
                        'ALERT: a closed order was paid at WeChat; it is now paid: ship it or refund it');
                }
                else {
                    this.logger.info({ event: 'order.paid', outTradeNo: order.outTradeNo, transactionId: payment.transactionId, totalFee: payment.totalFee }, 'order paid');
                }
                return { outcome: 'paid' };
            }
        }

        const current = await this.models.Order.findByPk(order.id, { attributes: ['status', 'transactionId'], transaction });
        // The same payment again, whatever happened to the order since (shipped, completed, refunded).
        if (current?.transactionId === payment.transactionId) {
            return { outcome: 'duplicate' };
        }
        return this.conflict(order, payment, current?.transactionId
            ? `order is already paid by transaction ${current.transactionId}`
            : `order is ${current?.status ?? 'gone'}`);
    }

    /**
     * unpaid → closed on WeChat's word that it takes no payment for the order (closeorder
     * succeeded, or orderquery says CLOSED). False when the order was not unpaid any more.
     */
    async closeConfirmed(orderId: number): Promise<boolean> {
        return this.close(orderId, {});
    }

    /**
     * unpaid → closed without asking WeChat: only while the order has no prepay, in the same
     * UPDATE, so a prepay stored a moment earlier (by a pay racing this close) forbids it.
     */
    async closeWithoutPrepay(orderId: number): Promise<boolean> {
        return this.close(orderId, { prepayId: { [Op.is]: null } });
    }

    private async close(orderId: number, where: TransitionOptions['where']): Promise<boolean> {
        const closed = await applyTransition(this.models, orderId, 'close', OrderStatus.unpaid, { values: { claimedUntil: null, payClaimedUntil: null }, where });
        if (closed) {
            this.logger.info({ event: 'order.closed', orderId }, 'order closed');
        }
        return closed;
    }

    private conflict(order: Pick<Order, 'outTradeNo'>, payment: WxPayment, reason: string): Settlement {
        this.logger.error({ event: 'alert.payment_conflict', alert: 'payment_conflict', outTradeNo: order.outTradeNo, transactionId: payment.transactionId, reason },
            'ALERT: a genuine payment could not be applied; the money may need a refund');
        return { outcome: 'rejected', reason };
    }
}
