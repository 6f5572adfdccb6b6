import assert from 'node:assert/strict';

import { toReconciliationView, type ReconciliationView } from '../../src/routes/reconciliation-view';
import { addBeijingDays, beijingDayOf, startOfBeijingDay } from '../../src/wechat/beijing-day';
import type { TestApp } from '../helpers/app';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { getOrder, payInWechat, placeOrder, requestPaymentFor } from '../helpers/shopper';

// Shared steps of the reconciliation tests: payments the simulator bills, the day they fall on,
// a clock at which that day's bill is ready, and WeChat's bill made to disagree.

/**
 * Every payment's notification is lost (nothing listens there), so a test decides which
 * payments our books learn of: `paidOrder` syncs one through GET /orders/{id}'s orderquery,
 * `paidAtWechatOnly` leaves one unpaid here.
 */
export const RECONCILIATION_ENV: Readonly<Record<string, string>> = {
    ...NO_ORDER_LIMITS,
    WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere',
    ORDER_QUERY_THROTTLE_MS: '0',
};

export interface Payment {
    readonly orderId: number;
    readonly outTradeNo: string;
    readonly totalFee: number;
    /** The Beijing day WeChat dates the payment. */
    readonly day: string;
}

/** Paid at WeChat, notification lost: our books still say unpaid. */
export async function paidAtWechatOnly(app: TestApp, token: string): Promise<Payment> {
    const order = await placeOrder(app, token);
    const paid = await payInWechat(app, await requestPaymentFor(app, token, order.id));
    assert.equal(paid.statusCode, 200, paid.payload);
    // The simulator dates the payment now (tests do not run across Beijing midnight, 16:00 UTC).
    return { orderId: order.id, outTradeNo: order.out_trade_no, totalFee: order.total_fee, day: beijingDayOf(new Date()) };
}

/** Paid at WeChat and in our books (synced by the shopper's read). */
export async function paidOrder(app: TestApp, token: string): Promise<Payment> {
    const payment = await paidAtWechatOnly(app, token);
    assert.equal((await getOrder(app, token, payment.orderId)).status, 'paid');
    const stored = await app.server.app.models.Order.findByPk(payment.orderId);
    return { ...payment, day: beijingDayOf(stored!.paidAt!) };
}

/**
 * `count` payments other shoppers made today at WeChat (the simulator's busy day), written into
 * our books too, as their notifications would have: a day whose bill is as large as asked and
 * agrees with the books. The day they fall on.
 */
export async function busyDay(app: TestApp, count: number): Promise<string> {
    const made = await app.inject({ method: 'POST', url: '/__wechat/simulator/bills/payments', payload: { count } });
    assert.equal(made.statusCode, 201, made.payload);
    const payments = (made.result as { payments: Array<{ out_trade_no: string; transaction_id: string; total_fee: number; paid_at: string }> }).payments;
    const { userId } = await app.login();
    const paidAt = new Date(payments[0]!.paid_at);
    await app.server.app.models.Order.bulkCreate(payments.map((payment) => ({
        userId, outTradeNo: payment.out_trade_no, totalFee: payment.total_fee, status: 'paid', transactionId: payment.transaction_id, paidAt, expiresAt: paidAt,
    })), { validate: false });
    return beijingDayOf(paidAt);
}

/** 10:05 Beijing time on the day after `day`: its bill is ready. */
export function billReadyAfter(day: string): Date {
    return new Date(startOfBeijingDay(addBeijingDays(day, 1)).getTime() + (10 * 60 + 5) * 60_000);
}

export async function tamperBill(app: TestApp, tamper: { out_trade_no: string; out_refund_no?: string; action: 'drop' | 'amount'; amount?: number }): Promise<void> {
    const response = await app.inject({ method: 'POST', url: '/__wechat/simulator/bills/tamper', payload: tamper });
    assert.equal(response.statusCode, 201, response.payload);
}

/** Undoes every tamper and forgets every stored report, so a case can reconcile the same day afresh. */
export async function freshDay(app: TestApp): Promise<void> {
    await app.inject({ method: 'DELETE', url: '/__wechat/simulator/bills/tamper' });
    await app.server.app.models.ReconciliationReport.destroy({ where: {} });
}

/** The day's report as the merchant API shows it, made with a clock at which the bill is ready. */
export async function reconcile(app: TestApp, day: string): Promise<ReconciliationView> {
    return toReconciliationView(await app.server.services().reconciliation.reportFor(day, billReadyAfter(day)));
}

/** The lines the app logged with this `event` (by default the ALERT lines for discrepancies). */
export function reconciliationAlerts(app: TestApp, event = 'alert.reconciliation'): Array<Record<string, unknown>> {
    return app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === event);
}
