import type { Logger } from 'pino';
import type { Transaction } from 'sequelize';

import { insertRow, retryOnDeadlock, selectByStatement, selectOne } from '../db/rows';
import type { Models, Order } from '../models';
import type { NotificationOutcome } from '../models/payment-notification';
import type { PayGateway, PaymentNotice, WxPayment } from '../wechat/pay-gateway';
import { deliveryBody } from './delivery-body';
import type { OrderSettlement } from './order-settlement';

/** What to tell WeChat: SUCCESS stops its retries, FAIL asks for another delivery. */
export interface NotifyAnswer {
    readonly acknowledged: boolean;
    readonly message: string;
}

interface Verdict {
    readonly outcome: Exclude<NotificationOutcome, 'received' | 'interrupted'>;
    readonly signatureValid: boolean | null;
    readonly reason: string;
}

/** The order as a notification is judged against: read once, by out_trade_no. */
type NotifiedOrder = Pick<Order, 'id' | 'outTradeNo' | 'totalFee' | 'prepaySignType' | 'status' | 'transactionId'>;

/**
 * The same payment again (WeChat repeats a notification for a day; the order may be shipped by
 * now): recorded as a duplicate without touching the order. Anything that differs, even by a
 * trailing space MySQL's collation would ignore, goes through the settlement's checks and alerts.
 */
function isRepeat(order: NotifiedOrder, payment: WxPayment): boolean {
    return order.transactionId === payment.transactionId && order.outTradeNo === payment.outTradeNo && order.totalFee === payment.totalFee;
}

const ACKNOWLEDGED: ReadonlySet<NotificationOutcome> = new Set(['paid', 'duplicate', 'payment_failed']);

const reject = (reason: string, signatureValid: boolean | null = true): Verdict => ({ outcome: 'rejected', signatureValid, reason });
const clip = (text: string | undefined, length: number) => (text === undefined ? null : text.slice(0, length));

/**
 * WeChat Pay's payment notifications, read and judged by the gateway. Nothing changes an order before the signature, appid,
 * mch_id, result and amount all hold. Every delivery is recorded: a payment in the same
 * transaction that applies it (one commit, so nothing acknowledged can be lost), anything
 * else before it is answered. A database failure propagates, so the caller answers FAIL and
 * WeChat delivers again.
 */
export class NotificationService {
    private readonly findOrderSql: string;

    constructor(
        private readonly models: Models,
        private readonly gateway: PayGateway,
        private readonly settlement: OrderSettlement,
        private readonly logger: Logger,
    ) {
        this.findOrderSql = selectByStatement(models.Order, ['id', 'outTradeNo', 'totalFee', 'prepaySignType', 'status', 'transactionId'], 'outTradeNo');
    }

    async receive(raw: Buffer): Promise<NotifyAnswer> {
        let notice: PaymentNotice;
        try {
            notice = await this.gateway.readNotice(raw);
        }
        catch (error) {
            return this.answer(raw, undefined, reject(`malformed notification: ${(error as Error).message}`, null));
        }

        const order = notice.outTradeNo ? await selectOne<NotifiedOrder>(this.models.Order, this.findOrderSql, notice.outTradeNo) : undefined;
        const judged = this.judge(notice, order);
        if ('outcome' in judged) {
            return this.answer(raw, notice, judged);
        }
        if (isRepeat(order!, judged.payment)) {
            return this.answer(raw, notice, { outcome: 'duplicate', signatureValid: true, reason: 'already applied' });
        }
        const verdict = await retryOnDeadlock(() => this.models.sequelize.transaction(async (transaction) => {
            const settled = await this.settlement.settlePaid(order!, judged.payment, transaction);
            const applied: Verdict = settled.outcome === 'rejected'
                ? reject(settled.reason)
                : { outcome: settled.outcome, signatureValid: true, reason: settled.outcome === 'paid' ? 'order paid' : 'already applied' };
            await this.record(raw, notice, applied, transaction);
            return applied;
        }));
        return this.reply(verdict, notice);
    }

    /** A verdict needing no change to any order, or the payment to apply. */
    private judge(notice: PaymentNotice, order: NotifiedOrder | undefined): Verdict | { readonly payment: WxPayment } {
        const judged = this.gateway.judgeNotice(notice, order?.prepaySignType ?? null);
        switch (judged.verdict) {
            case 'unverified':
                return reject(judged.reason, false);
            case 'refused':
                return reject(judged.reason);
            default:
                if (!order) {
                    return reject('unknown out_trade_no');
                }
                // A genuine report of a failed payment: acknowledged (else WeChat repeats it for a day); the order stays unpaid.
                return judged.verdict === 'payment_failed' ? { outcome: 'payment_failed', signatureValid: true, reason: judged.reason } : { payment: judged.payment };
        }
    }

    private async answer(raw: Buffer, notice: PaymentNotice | undefined, verdict: Verdict): Promise<NotifyAnswer> {
        await this.record(raw, notice, verdict);
        return this.reply(verdict, notice);
    }

    /** A verified delivery keeps its whole body; an unverified one (anyone can send those) a bounded prefix and the hash. */
    private async record(raw: Buffer, notice: PaymentNotice | undefined, verdict: Verdict, transaction?: Transaction): Promise<void> {
        await insertRow(this.models.PaymentNotification, {
            ...deliveryBody(raw, verdict.signatureValid === true),
            outTradeNo: clip(notice?.outTradeNo, 64),
            transactionId: clip(notice?.transactionId, 64),
            signatureValid: verdict.signatureValid,
            outcome: verdict.outcome,
            reason: verdict.reason.slice(0, 255),
        }, transaction);
    }

    private reply(verdict: Verdict, notice: PaymentNotice | undefined): NotifyAnswer {
        const acknowledged = ACKNOWLEDGED.has(verdict.outcome);
        const outTradeNo = clip(notice?.outTradeNo, 64);
        if (acknowledged) {
            this.logger.info({ event: 'notification.accepted', outTradeNo, outcome: verdict.outcome }, 'payment notification accepted');
        }
        else {
            this.logger.warn({ event: 'notification.rejected', outTradeNo, signatureValid: verdict.signatureValid, reason: verdict.reason }, 'payment notification rejected');
        }
        return { acknowledged, message: acknowledged ? 'OK' : verdict.reason };
    }
}
