import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { WxPayService } from '../../src/services/wx-pay-service';
import { addBeijingDays, beijingDayOf } from '../../src/wechat/beijing-day';
import { WechatBadReplyError, WechatPayRefusal } from '../../src/wechat/errors';
import { createWechatHttpClient } from '../../src/wechat/http';
import { startTestApp, type TestApp } from '../helpers/app';
import { paidOrder, RECONCILIATION_ENV, type Payment } from './harness';

// PayGateway.downloadBill(day) on the v2 gateway, against the simulator over HTTP: the signed
// /pay/downloadbill (bill_type ALL) read into typed payments and refunds in fen; "No Bill
// Exist" as an empty bill; WeChat's other XML answers as a WechatPayRefusal with its code; a
// damaged answer as a WechatBadReplyError.

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
        const bill = await gateway.downloadBill(payment.day);
        const order = await app.server.app.models.Order.findByPk(payment.orderId);
        assert.deepEqual(bill.payments, [{ outTradeNo: payment.outTradeNo, transactionId: order!.transactionId, totalFee: payment.totalFee, paidAt: order!.paidAt }]);
        assert.deepEqual(bill.refunds, [{ outTradeNo: payment.outTradeNo, outRefundNo, refundFee: 99 }]);
    });

    it('reads "No Bill Exist" as an empty bill', async () => {
        assert.deepEqual(await gateway.downloadBill('2026-01-05'), { payments: [], refunds: [] });
    });

    it("turns WeChat's other XML answers into a refusal with its error_code", async () => {
        const tomorrow = addBeijingDays(beijingDayOf(new Date()), 1);
        await assert.rejects(gateway.downloadBill(tomorrow), (error) => error instanceof WechatPayRefusal && error.code === '20001' && /invalid bill_date/.test(error.message));
    });

    it('turns a garbled answer into a bad reply', async () => {
        await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'downloadbill', fault: 'garbled', count: 1 } });
        await assert.rejects(gateway.downloadBill(payment.day), WechatBadReplyError);
    });
});
