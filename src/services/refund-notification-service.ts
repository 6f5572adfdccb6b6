import type { Logger } from 'pino';
import type { Transaction } from 'sequelize';

import { insertRow } from '../db/rows';
import type { Models } from '../models';
import type { RefundNotificationOutcome } from '../models/refund-notification';
import type { PayGateway, RefundNotice, RefundNoticeVerdict } from '../wechat/pay-gateway';
import { deliveryBody } from './delivery-body';
import type { NotifyAnswer } from './notification-service';
import type { RefundService } from './refund-service';

interface Delivery {
    readonly outcome: RefundNotificationOutcome;
    readonly decrypted: boolean;
    readonly reason: string;
    readonly outTradeNo?: string;
    readonly outRefundNo?: string;
}

const clip = (text: string | undefined) => (text === undefined ? null : text.slice(0, 64));

/**
 * WeChat Pay's refund notifications. They carry no sign: one is authentic only when its
 * req_info decrypts with our API key and names our appid and mch_id, and it changes a refund
 * only when it names one of our orders with the amounts we know. Every delivery is recorded;
 * one that applies a refund in the same transaction, so concurrent duplicates apply it once.
 */
export class RefundNotificationService {
    constructor(
        private readonly models: Models,
        private readonly gateway: PayGateway,
        private readonly refunds: RefundService,
        private readonly logger: Logger,
    ) {}

    async receive(raw: Buffer): Promise<NotifyAnswer> {
        let verdict: RefundNoticeVerdict;
        try {
            const notice: RefundNotice = await this.gateway.readRefundNotice(raw);
            verdict = await this.gateway.judgeRefundNotice(notice);
        }
        catch (error) {
            return this.answer(raw, { outcome: 'rejected', decrypted: false, reason: `malformed notification: ${(error as Error).message}` });
        }
        if (verdict.verdict === 'refused') {
            return this.answer(raw, { outcome: 'rejected', decrypted: verdict.decrypted, reason: verdict.reason, outTradeNo: verdict.outTradeNo, outRefundNo: verdict.outRefundNo });
        }
        const { refund } = verdict;
        const delivery = await this.models.sequelize.transaction(async (transaction) => {
            const applied = await this.refunds.apply(refund, transaction);
            const recorded: Delivery = {
                outcome: applied.outcome, decrypted: true, outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo,
                reason: applied.outcome === 'rejected' ? applied.reason : `refund ${refund.state}`,
            };
            await this.record(raw, recorded, transaction);
            return recorded;
        });
        return this.reply(delivery);
    }

    private async answer(raw: Buffer, delivery: Delivery): Promise<NotifyAnswer> {
        await this.record(raw, delivery);
        return this.reply(delivery);
    }

    /** Only an authentic delivery that names a refund of ours keeps its whole body. */
    private async record(raw: Buffer, delivery: Delivery, transaction?: Transaction): Promise<void> {
        await insertRow(this.models.RefundNotification, {
            ...deliveryBody(raw, delivery.decrypted && delivery.outcome !== 'rejected'),
            outTradeNo: clip(delivery.outTradeNo),
            outRefundNo: clip(delivery.outRefundNo),
            decrypted: delivery.decrypted,
            outcome: delivery.outcome,
            reason: delivery.reason.slice(0, 255),
        }, transaction);
    }

    private reply(delivery: Delivery): NotifyAnswer {
        const acknowledged = delivery.outcome !== 'rejected';
        const fields = { outRefundNo: clip(delivery.outRefundNo), outcome: delivery.outcome };
        if (acknowledged) {
            this.logger.info({ event: 'refund_notification.accepted', ...fields }, 'refund notification accepted');
        }
        else {
            this.logger.warn({ event: 'refund_notification.rejected', ...fields, decrypted: delivery.decrypted, reason: delivery.reason }, 'refund notification rejected');
        }
        return { acknowledged, message: acknowledged ? 'OK' : delivery.reason };
    }
}
