import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { WxPayService } from '../../src/services/wx-pay-service';
import { addBeijingDays, beijingDayOf } from '../../src/wechat/beijing-day';
import { WechatBadReplyError, WechatBillTooLargeError, WechatPayRefusal } from '../../src/wechat/errors';
import { createWechatHttpClient } from '../../src/wechat/http';
import type { BillEntry } from '../../src/wechat/pay-gateway';
import { startTestApp, type TestApp } from '../helpers/app';
import { paidOrder, RECONCILIATION_ENV, type Payment } from './harness';

// PayGateway.downloadBill(day) on the v2 gateway, against the simulator over HTTP: the signed
// /pay/downloadbill (bill_type ALL, tar_type GZIP) read as it downloads into typed payments and
// refunds in fen; "No Bill Exist" as no entries; WeChat's other XML answers as a WechatPayRefusal
// with its code; a damaged answer as a WechatBadReplyError; one past the limit as a
// WechatBillTooLargeError.

const LIMITS = { maxBytes: 1024 * 1024 };

async function entries(bill: AsyncIterable<BillEntry>): Promise<BillEntry[]> {
    const read: BillEntry[] = [];
    for await (const entry of bill) {
        read.push(entry);
    }
    return read;
}

describe('downloadBill', () => {
    let app: TestApp;
    let gateway: WxPayService;
    let payment: Payment;
    let outRefundNo: string;
    before(async () => {
        app = await startTestApp({ env: RECONCILIATION_ENV });
        gateway = new WxPayService(app.config.wechat, createWechatHttpClient(app.config.wechat.httpTimeoutMs));
        payment = await paidOrder(app, (await app.login()).token);
        const refund = await app.inject({ method: 'POST', url: '/__wechat/simulator/refunds', payload: { out_trade_no: payment.outTradeNo, refund_fee: 99 } });
        outRefundNo = (refund.result as { out_refund_no: string }).out_refund_no;
    });
    after(() => app.stop());

    it("reads the day's payments and refunds, money in fen", async () => {
        const read = await entries(gateway.downloadBill(payment.day, LIMITS));
        const order = await app.server.app.models.Order.findByPk(payment.orderId);
        assert.deepEqual(read, [
            { kind: 'payment', outTradeNo: payment.outTradeNo, transactionId: order!.transactionId, totalFee: payment.totalFee, paidAt: order!.paidAt },
            { kind: 'refund', outTradeNo: payment.outTradeNo, outRefundNo, refundFee: 99 },
        ]);
    });

    it('reads "No Bill Exist" as no entries', async () => {
        assert.deepEqual(await entries(gateway.downloadBill('2026-01-05', LIMITS)), []);
    });

    it("turns WeChat's other XML answers into a refusal with its error_code", async () => {
        const tomorrow = addBeijingDays(beijingDayOf(new Date()), 1);
        await assert.rejects(entries(gateway.downloadBill(tomorrow, LIMITS)), (error) => error instanceof WechatPayRefusal && error.code === '20001' && /invalid bill_date/.test(error.message));
    });

    it('turns a garbled answer into a bad reply', async () => {
        await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'downloadbill', fault: 'garbled', count: 1 } });
        await assert.rejects(entries(gateway.downloadBill(payment.day, LIMITS)), WechatBadReplyError);
    });

    it('refuses a bill past the limit as it downloads, naming the day and the limit', async () => {
        await assert.rejects(entries(gateway.downloadBill(payment.day, { maxBytes: 100 })), (error) =>
            error instanceof WechatBillTooLargeError && error.maxBytes === 100 && error.message.includes(payment.day));
    });
});
