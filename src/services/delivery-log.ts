import { Op } from 'sequelize';

import type { Models } from '../models';
import { NOTIFICATION_OUTCOMES } from '../models/payment-notification';
import { REFUND_NOTIFICATION_OUTCOMES } from '../models/refund-notification';
import { parseWxXml } from '../wechat/xml';

// Every notification WeChat delivered, as the console reads them: payment notifications and
// refund notifications, each in its own table today. The console reads them only through this
// module, so when they become one delivery inbox, this file is what changes.

export const DELIVERY_KINDS = ['payment', 'refund'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** Every outcome either kind records. */
export const DELIVERY_OUTCOMES = [...new Set<string>([...NOTIFICATION_OUTCOMES, ...REFUND_NOTIFICATION_OUTCOMES])];

export interface Delivery {
    readonly kind: DeliveryKind;
    readonly id: number;
    readonly receivedAt: Date;
    readonly outTradeNo: string | null;
    readonly transactionId: string | null;
    readonly outRefundNo: string | null;
    /** Signature verified (payment) or req_info decrypted with our key (refund); null: not judged yet. */
    readonly authentic: boolean | null;
    readonly outcome: string;
    readonly reason: string | null;
    readonly bodyBytes: number | null;
    readonly bodySha256: string | null;
}

export interface DeliveryFilter {
    readonly kind: DeliveryKind;
    readonly outcome?: string;
    readonly outTradeNo?: string;
    readonly beforeId?: number;
}

/** What the shopper paid, as WeChat's verified payment notification said: the total, and what coupons took off it. */
export interface PaidAmounts {
    readonly totalFee: number | null;
    /** What left the shopper's balance or card (total less coupons). */
    readonly cashFee: number | null;
    readonly couponFee: number | null;
    readonly couponCount: number | null;
}

export class DeliveryLog {
    constructor(private readonly models: Models) {}

    /** One kind's deliveries, newest first: `limit + 1` at most (a keyset page and whether another follows). */
    async page({ kind, outcome, outTradeNo, beforeId }: DeliveryFilter, limit: number): Promise<Delivery[]> {
        const where = {
            ...(outcome === undefined ? {} : { outcome }),
            ...(outTradeNo === undefined ? {} : { outTradeNo }),
            ...(beforeId === undefined ? {} : { id: { [Op.lt]: beforeId } }),
        };
        const options = { where, order: [['id', 'DESC']] as [string, string][], limit: limit + 1 };
        return kind === 'payment'
            ? (await this.models.PaymentNotification.findAll({ ...options, attributes: { exclude: ['body'] } })).map((row) => this.payment(row))
            : (await this.models.RefundNotification.findAll({ ...options, attributes: { exclude: ['body'] } })).map((row) => this.refund(row));
    }

    /** Every delivery about one order, of either kind, oldest first. */
    async ofOrder(outTradeNo: string): Promise<Delivery[]> {
        const [payments, refunds] = await Promise.all([
            this.models.PaymentNotification.findAll({ where: { outTradeNo }, attributes: { exclude: ['body'] }, order: [['id', 'ASC']] }),
            this.models.RefundNotification.findAll({ where: { outTradeNo }, attributes: { exclude: ['body'] }, order: [['id', 'ASC']] }),
        ]);
        return [...payments.map((row) => this.payment(row)), ...refunds.map((row) => this.refund(row))]
            .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    }

    /** From the first verified notification that paid the order (its body is kept whole); nulls when there is none. */
    async paidAmountsOf(outTradeNo: string): Promise<PaidAmounts> {
        const paid = await this.models.PaymentNotification.findOne({ where: { outTradeNo, outcome: 'paid', signatureValid: true }, order: [['id', 'ASC']] });
        if (paid?.body == null) {
            return { totalFee: null, cashFee: null, couponFee: null, couponCount: null };
        }
        const fields = await parseWxXml(paid.body);
        const fen = (name: string) => (fields[name] !== undefined && /^\d+$/.test(fields[name]!) ? Number(fields[name]) : null);
        return { totalFee: fen('total_fee'), cashFee: fen('cash_fee'), couponFee: fen('coupon_fee') ?? 0, couponCount: fen('coupon_count') ?? 0 };
    }

    private payment(row: InstanceType<Models['PaymentNotification']>): Delivery {
        return {
            kind: 'payment', id: row.id, receivedAt: row.createdAt, outTradeNo: row.outTradeNo, transactionId: row.transactionId, outRefundNo: null,
            authentic: row.signatureValid ?? null, outcome: row.outcome, reason: row.reason ?? null, bodyBytes: row.bodyBytes, bodySha256: row.bodySha256,
        };
    }

    private refund(row: InstanceType<Models['RefundNotification']>): Delivery {
        return {
            kind: 'refund', id: row.id, receivedAt: row.createdAt, outTradeNo: row.outTradeNo, transactionId: null, outRefundNo: row.outRefundNo,
            authentic: Boolean(row.decrypted), outcome: row.outcome, reason: row.reason, bodyBytes: row.bodyBytes, bodySha256: row.bodySha256,
        };
    }
}
