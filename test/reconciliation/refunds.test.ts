import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { createLogger } from '../../src/logger';
import { toReconciliationView } from '../../src/routes/reconciliation-view';
import { ReconciliationService } from '../../src/services/reconciliation-service';
import type { BookedRefund, RefundLedger } from '../../src/services/refund-ledger';
import { WxPayService } from '../../src/services/wx-pay-service';
import { createWechatHttpClient } from '../../src/wechat/http';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { billReadyAfter, freshDay, paidOrder, RECONCILIATION_ENV, tamperBill, type Payment } from './harness';

// Refunds are compared by out_refund_no through a RefundLedger (our refunds of the day: the
// refunds table). A refund made by hand in the merchant platform whose notification never
// arrived (notifications go nowhere here) is on WeChat's bill but not in our books: missing
// here. A ledger that holds the refund agrees with the bill, and the bill made to drop it or
// change its amount disagrees.

for (const { kind, create } of databaseKinds()) {
    describe(`refunds in the daily reconciliation on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;
        let payment: Payment;
        let refund: BookedRefund;
        let withLedger: ReconciliationService;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: RECONCILIATION_ENV });
            const { token } = await app.login();
            payment = await paidOrder(app, token);
            // Refunded by hand in the merchant platform.
            const made = await app.inject({ method: 'POST', url: '/__wechat/simulator/refunds', payload: { out_trade_no: payment.outTradeNo, refund_fee: 150 } });
            assert.equal(made.statusCode, 201, made.payload);
            refund = { outTradeNo: payment.outTradeNo, outRefundNo: (made.result as { out_refund_no: string }).out_refund_no, refundFee: 150 };

            const ledger: RefundLedger = { refundsOn: async (day) => (day === payment.day ? [refund] : []) };
            const { config, server } = app;
            withLedger = new ReconciliationService(server.app.models, new WxPayService(config.wechat, createWechatHttpClient(config.wechat.httpTimeoutMs)),
                server.services().payments, ledger, config.reconciliation, createLogger(config, { write: (line: string) => void app.logs.push(line) }));
        });
        afterEach(() => freshDay(app));
        after(async () => {
            await app.stop();
            await database.drop();
        });

        const reconcileWith = async (service: ReconciliationService) => toReconciliationView(await service.reportFor(payment.day, billReadyAfter(payment.day)));
        const found = (report: ReturnType<typeof toReconciliationView>) => report.discrepancies.map(({ kind: what, out_refund_no: no, wechat_fee: wechat, our_fee: ours }) => [what, no, wechat, ours]);

        it('reports a refund on the bill that our books do not hold (its notification never arrived)', async () => {
            const report = await reconcileWith(app.server.services().reconciliation);
            assert.equal(report.bill_refunds, 1);
            assert.equal(report.our_refunds, 0);
            assert.deepEqual(found(report), [['refund_missing_here', refund.outRefundNo, 150, null]]);
        });

        it('agrees when our ledger holds the refund the bill lists', async () => {
            const report = await reconcileWith(withLedger);
            assert.equal(report.status, 'agreed');
            assert.equal(report.our_refunds, 1);
        });

        it('finds a refund whose amount differs', async () => {
            await tamperBill(app, { out_trade_no: refund.outTradeNo, out_refund_no: refund.outRefundNo, action: 'amount', amount: 149 });
            assert.deepEqual(found(await reconcileWith(withLedger)), [['refund_amount_mismatch', refund.outRefundNo, 149, 150]]);
        });

        it('finds a refund of ours that the bill leaves out', async () => {
            await tamperBill(app, { out_trade_no: refund.outTradeNo, out_refund_no: refund.outRefundNo, action: 'drop' });
            assert.deepEqual(found(await reconcileWith(withLedger)), [['refund_missing_at_wechat', refund.outRefundNo, null, 150]]);
        });
    });
}
