import type { Logger } from 'pino';

import type { Models } from '../models';
import type { NotificationOutcome } from '../models/payment-notification';
import { parseWxXml } from '../wechat/xml';
import type { OrderSettlement } from './order-settlement';
import { paymentFromFields, type WxPayService } from './wx-pay-service';

/** What to tell WeChat: SUCCESS stops its retries, FAIL asks for another delivery. */
export interface NotifyAnswer {
    readonly acknowledged: boolean;
    readonly message: string;
}

interface Verdict {
    readonly outcome: Exclude<NotificationOutcome, 'received'>;
    readonly signatureValid: boolean | null;
    readonly reason: string;
}

const ACKNOWLEDGED: ReadonlySet<NotificationOutcome> = new Set(['paid', 'duplicate', 'payment_failed']);

const reject = (reason: string, signatureValid: boolean | null = true): Verdict => ({ outcome: 'rejected', signatureValid, reason });
const clip = (text: string | undefined, length: number) => (text === undefined ? null : text.slice(0, length));

/**
 * WeChat Pay's payment notifications. Each delivery is stored first, then judged; an order
 * changes only when the signature, appid, mch_id, result and amount all hold. A database
 * failure propagates, so the caller answers FAIL and WeChat delivers again.
 */
export class NotificationService {
    constructor(
        private readonly models: Models,
        private readonly wxPay: WxPayService,
        private readonly settlement: OrderSettlement,
        private readonly logger: Logger,
    ) {}

    async receive(raw: Buffer): Promise<NotifyAnswer> {
        let fields: Record<string, string> | undefined;
        let malformed = '';
        try {
            fields = await parseWxXml(raw);
        }
        catch (error) {
            malformed = (error as Error).message;
        }

        const record = await this.models.PaymentNotification.create({
            rawXml: raw.toString('utf8'),
            outTradeNo: clip(fields?.out_trade_no, 64),
            transactionId: clip(fields?.transaction_id, 64),
        });
        const verdict = fields ? await this.judge(fields) : reject(`malformed notification: ${malformed}`, null);
        await record.update({ outcome: verdict.outcome, signatureValid: verdict.signatureValid, reason: verdict.reason.slice(0, 255) });

        if (verdict.outcome === 'rejected') {
            this.logger.warn({ notificationId: record.id, outTradeNo: record.outTradeNo, reason: verdict.reason }, 'payment notification rejected');
        }
        const acknowledged = ACKNOWLEDGED.has(verdict.outcome);
        return { acknowledged, message: acknowledged ? 'OK' : verdict.reason };
    }

    private async judge(fields: Record<string, string>): Promise<Verdict> {
        const order = fields.out_trade_no
            ? await this.models.Order.findOne({ where: { outTradeNo: fields.out_trade_no }, attributes: ['id', 'outTradeNo', 'totalFee', 'prepaySignType'] })
            : null;
        if (!this.wxPay.verifyNotification(fields, order?.prepaySignType ?? null)) {
            return reject('signature does not verify', false);
        }
        if (fields.return_code !== 'SUCCESS') {
            return reject('return_code is not SUCCESS');
        }
        if (!this.wxPay.isOurMerchant(fields)) {
            return reject('appid or mch_id is not ours');
        }
        if (!order) {
            return reject('unknown out_trade_no');
        }
        if (fields.result_code !== 'SUCCESS') {
            // A genuine report of a failed payment: acknowledged (else WeChat repeats it for a day); the order stays unpaid.
            return { outcome: 'payment_failed', signatureValid: true, reason: `${fields.err_code ?? 'FAIL'} ${fields.err_code_des ?? ''}`.trim() };
        }
        const payment = paymentFromFields(fields);
        if (!payment) {
            return reject('transaction_id or total_fee missing or malformed');
        }
        const settled = await this.settlement.settlePaid(order, payment);
        return settled.outcome === 'rejected'
            ? reject(settled.reason)
            : { outcome: settled.outcome, signatureValid: true, reason: settled.outcome === 'paid' ? 'order paid' : 'already applied' };
    }
}
