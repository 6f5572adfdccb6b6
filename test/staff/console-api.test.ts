import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { beijingDayOf } from '../../src/wechat/beijing-day';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { placeOrder } from '../helpers/shopper';
import { createStaff, signIn, type StaffBrowser } from '../helpers/staff';
import { eventually } from '../helpers/wait';
import { billReadyAfter, paidAtWechatOnly, paidOrder, RECONCILIATION_ENV, tamperBill } from '../reconciliation/harness';

// The merchant API the console's pages stand on, driven as the console drives it: a staff
// member's session, over the app's routes, against the simulator.

interface Listed { id: number; status: string; out_trade_no: string; openid: string | null; ship_by: string | null; ship_overdue: boolean }

describe('the console pages\' API', () => {
    let app: TestApp;
    let owner: StaffBrowser;
    let shopper: { token: string; userId: number };
    let other: { token: string; userId: number };

    before(async () => {
        app = await startTestApp({ env: { ...RECONCILIATION_ENV, SHIPPING_UPLOAD_INTERVAL_MS: '50' } });
        shopper = await app.login('shopper-one.1');
        other = await app.login('shopper-two.1');
        await createStaff(app, 'alice', 'owner');
        owner = await signIn(app, 'alice');
    });
    after(() => app.stop());

    const get = async <T>(url: string): Promise<T> => {
        const response = await owner.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 200, `${url}: ${response.payload}`);
        return response.result as T;
    };

    it('lists orders newest first, a keyset page at a time, by status, day, shopper and number', async () => {
        const paid = await paidOrder(app, shopper.token);
        const unpaid = await placeOrder(app, shopper.token);
        const others = await placeOrder(app, other.token);
        const all = await get<{ results: Listed[]; next: number | null }>('/admin/orders?limit=2');
        assert.deepEqual(all.results.map((order) => order.id), [others.id, unpaid.id]);
        assert.equal(all.next, unpaid.id);
        const rest = await get<{ results: Listed[]; next: number | null }>(`/admin/orders?limit=2&before=${all.next}`);
        assert.deepEqual(rest.results.map((order) => order.id), [paid.orderId]);
        assert.equal(rest.next, null);

        const byStatus = await get<{ results: Listed[] }>('/admin/orders?status=paid');
        assert.deepEqual(byStatus.results.map((order) => order.id), [paid.orderId]);
        const openid = (await app.server.app.models.User.findByPk(other.userId))!.openId;
        assert.deepEqual((await get<{ results: Listed[] }>(`/admin/orders?openid=${openid}`)).results.map((order) => order.id), [others.id]);
        assert.deepEqual((await get<{ results: Listed[] }>(`/admin/orders?user_id=${shopper.userId}`)).results.map((order) => order.id), [unpaid.id, paid.orderId]);
        assert.deepEqual((await get<{ results: Listed[] }>(`/admin/orders?out_trade_no=${paid.outTradeNo}`)).results.map((order) => order.id), [paid.orderId]);
        const stored = await app.server.app.models.Order.findByPk(paid.orderId);
        assert.deepEqual((await get<{ results: Listed[] }>(`/admin/orders?transaction_id=${stored!.transactionId}`)).results.map((order) => order.id), [paid.orderId]);
        const today = beijingDayOf(new Date());
        assert.equal((await get<{ results: Listed[] }>(`/admin/orders?day=${today}&limit=100`)).results.length, 3);
        assert.deepEqual((await get<{ results: Listed[] }>(`/admin/orders?paid_day=${today}`)).results.map((order) => order.id), [paid.orderId]);
        assert.deepEqual((await get<{ results: Listed[] }>('/admin/orders?day=2001-01-01')).results, []);
        assert.deepEqual((await get<{ results: Listed[] }>('/admin/orders?openid=nobody-has-this')).results, []);
        const listedPaid = byStatus.results[0]!;
        assert.equal(new Date(listedPaid.ship_by!).getTime(), stored!.paidAt!.getTime() + 48 * 3_600_000);
        assert.equal(listedPaid.ship_overdue, false);
        const bad = await owner.inject({ method: 'GET', url: '/admin/orders?day=2026-02-30' });
        assert.equal(bad.statusCode, 400);
        assert.match(JSON.parse(bad.payload).message, /"day" must be a day written YYYY-MM-DD/);
    });

    it("shows today's takings, the orders to ship against WeChat's 48 hours (overdue first), requests waiting and alerts", async () => {
        const late = await paidOrder(app, shopper.token);
        await app.server.app.models.Order.update({ paidAt: new Date(Date.now() - 49 * 3_600_000) }, { where: { id: late.orderId } });
        await app.inject({ method: 'POST', url: `/orders/${late.orderId}/refund-requests`, headers: bearer(shopper.token), payload: { reason: 'too slow' } });
        const dashboard = await get<{
            day: string; paid: { count: number; amount: number }; to_ship: { count: number; overdue: number; oldest: Array<{ id: number; overdue: boolean }> };
            after_sale: { pending: number }; refunds: { awaiting_approval: number };
        }>('/admin/dashboard');
        assert.equal(dashboard.day, beijingDayOf(new Date()));
        const paidToday = await app.server.app.models.Order.findAll({ where: { status: 'paid' } });
        assert.equal(dashboard.paid.count, paidToday.length - 1, 'the late one was paid two days ago');
        assert.equal(dashboard.to_ship.count, paidToday.length);
        assert.equal(dashboard.to_ship.overdue, 1);
        assert.deepEqual(dashboard.to_ship.oldest[0], { ...dashboard.to_ship.oldest[0], id: late.orderId, overdue: true });
        assert.equal(dashboard.after_sale.pending, 1);
        assert.equal(dashboard.refunds.awaiting_approval, 0);
    });

    it("keeps alert.* log lines where the console reads them, newest first", async () => {
        const logger = app.server.services().alerts.tap((await import('../../src/logger')).createLogger(app.config, { write: () => undefined }));
        logger.error({ event: 'alert.test_only', alert: 'planted', outTradeNo: 'X1' }, 'ALERT: planted by the test');
        logger.error({ event: 'order.something' }, 'not an alert');
        const alerts = await eventually('the alert recorded', async () => {
            const page = await get<{ results: Array<{ event: string; kind: string; message: string; details: { outTradeNo: string } }> }>('/admin/alerts?event=alert.test_only');
            return page.results.length > 0 ? page.results : undefined;
        });
        assert.deepEqual(alerts.map(({ event, kind, message, details }) => ({ event, kind, message, outTradeNo: details.outTradeNo })),
            [{ event: 'alert.test_only', kind: 'planted', message: 'ALERT: planted by the test', outTradeNo: 'X1' }]);
        assert.equal((await get<{ results: Array<{ event: string }> }>('/admin/alerts?limit=100')).results.filter((alert) => !alert.event.startsWith('alert.')).length, 0);
    });

    it("an order's page: lines, payment, every notification and its outcome, refunds, shipment, and a timeline with the staff's writes", async () => {
        const payment = await paidOrder(app, shopper.token);
        await owner.inject({ method: 'POST', url: `/admin/orders/${payment.orderId}/shipments`, payload: { logistics_type: 'express', express_company: 'SF', tracking_no: 'SF1', item_desc: 'a mug' } });
        await owner.inject({ method: 'POST', url: `/admin/orders/${payment.orderId}/refunds`, payload: { refund_fee: 100 } });
        const page = await get<{
            order: { id: number; goods: unknown[]; openid: string }; payment: { total_fee: number; transaction_id: string };
            notifications: Array<{ kind: string; outcome: string }>; refunds: Array<{ refund_fee: number }>; shipments: Array<{ tracking_no: string }>;
            timeline: Array<{ event: string; actor: string | null }>;
        }>(`/admin/orders/${payment.orderId}/page`);
        assert.equal(page.order.id, payment.orderId);
        assert.ok(page.order.goods.length > 0);
        assert.equal(page.payment.total_fee, payment.totalFee);
        assert.ok(page.payment.transaction_id);
        assert.deepEqual(page.refunds.map((refund) => refund.refund_fee), [100]);
        assert.deepEqual(page.shipments.map((shipment) => shipment.tracking_no), ['SF1']);
        const events = page.timeline.map((entry) => entry.event);
        for (const event of ['order.created', 'order.prepay', 'order.paid', 'order.shipped', 'refund.created', 'staff.write']) {
            assert.ok(events.includes(event), `${event} in ${events.join(', ')}`);
        }
        assert.ok(page.timeline.filter((entry) => entry.event === 'staff.write').every((entry) => entry.actor === 'alice'));
        assert.equal((await owner.inject({ method: 'GET', url: '/admin/orders/999999/page' })).statusCode, 404);
    });

    it('ships many orders from a CSV, with a result per row', async () => {
        const [first, second] = [await paidOrder(app, shopper.token), await paidOrder(app, shopper.token)];
        const unpaid = await placeOrder(app, shopper.token);
        const csv = 'out_trade_no,express_company,tracking_no\n'
            + `${first.outTradeNo},YTO,YT001\n${second.outTradeNo},ZTO,"ZT,002"\n${unpaid.out_trade_no},YTO,YT003\nNOSUCHORDER1,YTO,YT004\n${first.outTradeNo},YTO,\n`;
        const response = await owner.inject({ method: 'POST', url: '/admin/shipments/import', payload: csv, headers: { 'content-type': 'text/csv' } });
        assert.equal(response.statusCode, 200, response.payload);
        const { results } = response.result as { results: Array<{ line: number; status: number; message: string; shipment_id: number | null }> };
        assert.deepEqual(results.map((row) => [row.line, row.status]), [[2, 201], [3, 201], [4, 409], [5, 404], [6, 400]]);
        assert.match(results[4]!.message, /express needs express_company and tracking_no/);
        const shipped = await get<Array<{ tracking_no: string; item_desc: string }>>(`/admin/orders/${second.orderId}/shipments`);
        assert.equal(shipped[0]!.tracking_no, 'ZT,002');
        assert.match(shipped[0]!.item_desc, /×/, "the order's lines, when the CSV gives no item_desc");
        const broken = await owner.inject({ method: 'POST', url: '/admin/shipments/import', payload: 'out_trade_no,tracking_no\n"unclosed', headers: { 'content-type': 'text/csv' } });
        assert.equal(broken.statusCode, 400);
        assert.match(broken.payload, /never closed/);
        const unknownColumn = await owner.inject({ method: 'POST', url: '/admin/shipments/import', payload: 'order,tracking\n1,2', headers: { 'content-type': 'text/csv' } });
        assert.equal(unknownColumn.statusCode, 400);
    });

    it('the notification log, by kind and outcome', async () => {
        const payments = await get<{ results: Array<{ kind: string; outcome: string; out_trade_no: string }> }>('/admin/notifications?limit=100');
        assert.ok(payments.results.every((delivery) => delivery.kind === 'payment'));
        const refunds = await get<{ results: Array<{ kind: string }> }>('/admin/notifications?kind=refund');
        assert.ok(refunds.results.every((delivery) => delivery.kind === 'refund'));
        const rejected = await get<{ results: Array<{ outcome: string }> }>('/admin/notifications?outcome=rejected');
        assert.ok(rejected.results.every((delivery) => delivery.outcome === 'rejected'));
    });

    it("a month's reconciliation calendar: each day's status, discrepancies and what healed; WeChat's bill as CSV", async () => {
        const healedOne = await paidAtWechatOnly(app, shopper.token);
        const dropped = await paidOrder(app, shopper.token);
        await tamperBill(app, { out_trade_no: dropped.outTradeNo, action: 'drop' });
        const day = healedOne.day;
        await app.server.services().reconciliation.reportFor(day, billReadyAfter(day));
        const calendar = await get<{ month: string; days: Array<{ day: string; status: string; discrepancies: number; healed: number }> }>(`/admin/reconciliations?month=${day.slice(0, 7)}`);
        assert.equal(calendar.days[0]!.day, `${day.slice(0, 7)}-01`);
        const entry = calendar.days.find((one) => one.day === day)!;
        assert.equal(entry.status, 'disagreed');
        assert.ok(entry.discrepancies >= 2);
        assert.equal(entry.healed, 1);
        const report = await get<{ discrepancies: Array<{ kind: string; out_trade_no: string; healed: boolean | null }> }>(`/admin/reconciliations/${day}`);
        assert.ok(report.discrepancies.some((found) => found.kind === 'missing_here' && found.out_trade_no === healedOne.outTradeNo && found.healed === true));
        const alerts = await get<{ results: Array<{ event: string }> }>('/admin/alerts?event=alert.reconciliation');
        assert.ok(alerts.results.length >= 2, 'each discrepancy raised an alert the console shows');

        const notReady = await owner.inject({ method: 'GET', url: `/admin/reconciliations/${beijingDayOf(new Date(Date.now() + 86_400_000))}/bill` });
        assert.equal(notReady.statusCode, 409);
        let bill = '';
        for await (const line of await app.server.services().reconciliationCalendar.billCsv(day, billReadyAfter(day))) {
            bill += line;
        }
        assert.match(bill, /^\uFEFFkind,out_trade_no,transaction_id,out_refund_no,fee \(fen\),paid_at \(Beijing\)\r\n/);
        assert.match(bill, new RegExp(`payment,${healedOne.outTradeNo},`));
        const quiet = await owner.inject({ method: 'GET', url: '/admin/reconciliations/2026-01-05/bill' });
        assert.equal(quiet.statusCode, 200, quiet.payload);
        assert.match(String(quiet.headers['content-type']), /^text\/csv/);
    });

    it("payment settings' health: version, keys and certificate expiry, the token's state and the last WeChat calls; no secret", async () => {
        const settings = await get<{
            gateways: Array<{ api_version: string; keys: Array<{ kind: string; serial: string | null; days_left: number | null }> }>;
            access_token: { present: boolean }; wechat_calls: Array<{ last: { api: string; outcome: string } }>; refund_approval_above_fen: number;
        }>('/admin/payment-settings');
        assert.equal(settings.gateways[0]!.api_version, 'v2');
        const certificate = settings.gateways[0]!.keys.find((key) => key.kind === 'merchant_certificate')!;
        assert.match(certificate.serial!, /^[0-9A-F]+$/);
        assert.ok(certificate.days_left! > 30);
        assert.ok(settings.wechat_calls.some((call) => call.last.api === 'pay/unifiedorder' && call.last.outcome === 'ok'));
        assert.equal(settings.refund_approval_above_fen, 0);
        const text = JSON.stringify(settings);
        for (const secret of [app.config.wechat.apiKey, app.config.wechat.appSecret]) {
            assert.ok(!text.includes(secret));
        }
        const token = await app.server.app.models.WechatAccessToken.findByPk(app.config.wechat.appId);
        if (token?.accessToken) {
            assert.ok(!text.includes(token.accessToken), 'never the access token');
        }
    });
});
