import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import Boom from '@hapi/boom';

import { WechatBadReplyError } from '../../src/wechat/errors';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { billReadyAfter, freshDay, paidAtWechatOnly, paidOrder, reconcile, reconciliationAlerts, RECONCILIATION_ENV, tamperBill, type Payment } from './harness';

// A Beijing day of WeChat's bill (downloaded over HTTP from the simulator) compared with our
// books: the report names each payment missing on either side and each amount that differs,
// heals a payment WeChat took whose notification was lost, logs one ALERT per discrepancy,
// and is made once per day.

for (const { kind, create } of databaseKinds()) {
    describe(`the daily reconciliation on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;
        let token: string;
        let first: Payment;
        let second: Payment;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: RECONCILIATION_ENV });
            ({ token } = await app.login());
            first = await paidOrder(app, token);
            second = await paidOrder(app, token);
        });
        afterEach(() => freshDay(app));
        after(async () => {
            await app.stop();
            await database.drop();
        });

        it('agrees on a day where the bill and our books list the same payments', async () => {
            const report = await reconcile(app, first.day);
            assert.equal(report.status, 'agreed');
            assert.deepEqual(report.discrepancies, []);
            assert.equal(report.bill_payments, report.our_payments);
            assert.ok(report.our_payments >= 2);
        });

        it('finds a payment the bill leaves out, and logs it as an ALERT', async () => {
            await tamperBill(app, { out_trade_no: first.outTradeNo, action: 'drop' });
            const report = await reconcile(app, first.day);
            assert.equal(report.status, 'disagreed');
            assert.deepEqual(report.discrepancies, [
                { kind: 'missing_at_wechat', out_trade_no: first.outTradeNo, out_refund_no: null, wechat_fee: null, our_fee: first.totalFee, healed: null },
            ]);
            const alert = reconciliationAlerts(app).find((entry) => entry.outTradeNo === first.outTradeNo && entry.alert === 'missing_at_wechat');
            assert.ok(alert, 'an ALERT line for the missing payment');
            assert.equal(alert.level, 50);
            assert.match(String(alert.msg), /^ALERT: reconciliation of \d{4}-\d{2}-\d{2}: missing_at_wechat/);
        });

        it('finds an amount that differs', async () => {
            await tamperBill(app, { out_trade_no: second.outTradeNo, action: 'amount', amount: second.totalFee - 1 });
            const report = await reconcile(app, second.day);
            assert.deepEqual(report.discrepancies, [
                { kind: 'amount_mismatch', out_trade_no: second.outTradeNo, out_refund_no: null, wechat_fee: second.totalFee - 1, our_fee: second.totalFee, healed: null },
            ]);
        });

        it('heals a payment whose notification was lost, through orderquery and the settlement path', async () => {
            const missed = await paidAtWechatOnly(app, token);
            const report = await reconcile(app, missed.day);
            assert.deepEqual(report.discrepancies, [
                { kind: 'missing_here', out_trade_no: missed.outTradeNo, out_refund_no: null, wechat_fee: missed.totalFee, our_fee: null, healed: true },
            ]);
            const order = await app.server.app.models.Order.findByPk(missed.orderId);
            assert.equal(order!.status, 'paid');
            assert.ok(order!.transactionId);

            await freshDay(app);
            assert.equal((await reconcile(app, missed.day)).status, 'agreed', 'the healed order is on the books the next time');
        });

        it('never marks an order paid from the bill alone: a billed payment that orderquery does not confirm stays missing', async () => {
            const missed = await paidAtWechatOnly(app, token);
            const injected = await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'orderquery', fault: 'garbled', count: 1 } });
            assert.equal(injected.statusCode, 201, injected.payload);
            const report = await reconcile(app, missed.day);
            assert.deepEqual(report.discrepancies.map((found) => [found.kind, found.out_trade_no, found.healed]), [['missing_here', missed.outTradeNo, false]]);
            assert.equal((await app.server.app.models.Order.findByPk(missed.orderId))!.status, 'unpaid');
            // Healed by the next look (here the shopper's read), so the later cases start in agreement.
            await app.server.services().payments.queryAndApply((await app.server.app.models.Order.findByPk(missed.orderId))!);
        });

        it('is an empty, agreeing report on a day without trades ("No Bill Exist")', async () => {
            const report = await reconcile(app, '2026-01-15');
            assert.deepEqual({ ...report, created_at: undefined }, {
                bill_date: '2026-01-15', status: 'agreed', bill_payments: 0, bill_refunds: 0, our_payments: 0, our_refunds: 0,
                discrepancy_count: 0, discrepancies: [], created_at: undefined,
            });
        });

        it('is made once per day: concurrent requests make one report, and later ones read it', async () => {
            const { reconciliation } = app.server.services();
            const now = billReadyAfter(first.day);
            const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => reconciliation.reportFor(first.day, now)));
            const made = outcomes.filter((outcome) => outcome.status === 'fulfilled');
            assert.ok(made.length >= 1);
            for (const outcome of outcomes) {
                if (outcome.status === 'rejected') {
                    assert.ok(Boom.isBoom(outcome.reason, 409), String(outcome.reason));
                }
            }
            assert.equal(await app.server.app.models.ReconciliationReport.count({ where: { billDate: first.day } }), 1);
            const again = await reconciliation.reportFor(first.day, now);
            assert.equal(again.id, (made[0] as PromiseFulfilledResult<typeof again>).value.id);
        });

        it('stores no report when the bill cannot be read, only the failure and its cause, so the next attempt makes the report', async () => {
            const injected = await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'downloadbill', fault: 'garbled', count: 1 } });
            assert.equal(injected.statusCode, 201, injected.payload);
            await assert.rejects(reconcile(app, first.day), WechatBadReplyError);
            assert.equal(await app.server.services().reconciliation.stored(first.day), null);
            const failed = await app.server.app.models.ReconciliationReport.findOne({ where: { billDate: first.day } });
            assert.deepEqual([failed?.status, failed?.failures], ['failed', 1]);
            assert.match(String(failed?.lastError), /downloadbill gave an invalid reply/);
            assert.equal((await reconcile(app, first.day)).status, 'agreed');
        });

        it('refuses a day whose bill is not ready yet (before 10:00 Beijing time the day after)', async () => {
            const early = new Date(billReadyAfter(first.day).getTime() - 10 * 60_000);
            await assert.rejects(app.server.services().reconciliation.reportFor(first.day, early), (error) => Boom.isBoom(error, 409));
            assert.equal(await app.server.app.models.ReconciliationReport.count(), 0);
        });
    });
}
