import { UniqueConstraintError } from 'sequelize';
import type { Logger } from 'pino';

import type { Models, Order } from '../models';
import type { WxPayment } from './wx-pay-service';

export type Settlement =
    | { readonly outcome: 'paid' | 'duplicate' }
    | { readonly outcome: 'rejected'; readonly reason: string };

/**
 * The only code that moves an order out of `unpaid`. Each move is one conditional UPDATE
 * judged by the rows it changed, so concurrent deliveries of one payment change the order
 * exactly once, on SQLite and MySQL alike, with no transaction held open.
 */
export class OrderSettlement {
    constructor(
        private readonly models: Models,
        private readonly logger: Logger,
    ) {}

    /** Applies a payment WeChat vouches for (verified notification or orderquery). */
    async settlePaid(order: Pick<Order, 'id' | 'outTradeNo' | 'totalFee'>, payment: WxPayment): Promise<Settlement> {
        if (payment.outTradeNo !== order.outTradeNo) {
            return { outcome: 'rejected', reason: 'out_trade_no does not match the order' };
        }
        if (payment.totalFee !== order.totalFee) {
            this.logger.error({ alert: 'payment_amount_mismatch', outTradeNo: order.outTradeNo, orderTotalFee: order.totalFee, paidTotalFee: payment.totalFee },
                'ALERT: WeChat reports a payment whose total_fee differs from the order');
            return { outcome: 'rejected', reason: `total_fee ${payment.totalFee} does not match the order's ${order.totalFee}` };
        }

        let changed: number;
        try {
            [changed] = await this.models.Order.update(
                { status: 'paid', transactionId: payment.transactionId, paidAt: payment.paidAt, claimedUntil: null },
                { where: { id: order.id, status: 'unpaid' } },
            );
        }
        catch (error) {
            if (error instanceof UniqueConstraintError) {
                return this.conflict(order, payment, 'transaction_id already belongs to another order');
            }
            throw error;
        }
        if (changed === 1) {
            this.logger.info({ outTradeNo: order.outTradeNo, transactionId: payment.transactionId, totalFee: payment.totalFee }, 'order paid');
            return { outcome: 'paid' };
        }

        const current = await this.models.Order.findByPk(order.id, { attributes: ['status', 'transactionId'] });
        if (current?.status === 'paid' && current.transactionId === payment.transactionId) {
            return { outcome: 'duplicate' };
        }
        return this.conflict(order, payment, current?.status === 'paid'
            ? `order is already paid by transaction ${current.transactionId}`
            : `order is ${current?.status ?? 'gone'}`);
    }

    /** unpaid → closed; false when the order was not unpaid any more. */
    async settleClosed(orderId: number): Promise<boolean> {
        const [changed] = await this.models.Order.update({ status: 'closed', claimedUntil: null }, { where: { id: orderId, status: 'unpaid' } });
        return changed === 1;
    }

    private conflict(order: Pick<Order, 'outTradeNo'>, payment: WxPayment, reason: string): Settlement {
        this.logger.error({ alert: 'payment_conflict', outTradeNo: order.outTradeNo, transactionId: payment.transactionId, reason },
            'ALERT: a genuine payment could not be applied; the money may need a refund');
        return { outcome: 'rejected', reason };
    }
}
