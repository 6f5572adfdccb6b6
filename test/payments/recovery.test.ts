import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { getOrder, payInWechat, placeOrder, requestPaymentFor, startPayment } from '../helpers/shopper';

// When WeChat's notification never arrives, the order still ends up right: a read asks
// WeChat (orderquery), and the reconciler asks on its own and closes what has expired.
describe('a lost notification', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ env: { WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere', ORDER_QUERY_THROTTLE_MS: '0' } });
    });
    after(() => app.stop());

    it('is recovered by GET /orders/{id}', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        const paid = await payInWechat(app, await requestPaymentFor(app, token, order.id));
        const { transaction_id: transactionId } = paid.result as { transaction_id: string };

        const seen = await getOrder(app, token, order.id);
        assert.equal(seen.status, 'paid');
        assert.equal(seen.transaction_id, transactionId);
    });

    it('is recovered by the reconciler', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        await payInWechat(app, await requestPaymentFor(app, token, order.id));
        // The prepay is over a minute old by the time the reconciler looks.
        const report = await app.server.services().reconciler.runOnce(new Date(Date.now() + 61_000));
        assert.ok(report.paid >= 1, JSON.stringify(report));
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'paid');
    });

    it('is recovered when closing: WeChat says ORDERPAID, so the order is synced and the close refused', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        await payInWechat(app, await requestPaymentFor(app, token, order.id));
        await sleep(400);
        const close = await app.inject({ method: 'POST', url: `/orders/${order.id}/close`, headers: bearer(token) });
        assert.equal(close.statusCode, 409, close.payload);
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'paid');
    });
});

describe('closing', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp();
    });
    after(() => app.stop());

    it("closes an unpaid order at WeChat too, so it can't be paid any more", async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        const params = await requestPaymentFor(app, token, order.id);
        // WeChat refuses closeorder within 5 minutes of ordering: 300 ms on the simulator's scaled clock.
        await sleep(400);
        const close = await app.inject({ method: 'POST', url: `/orders/${order.id}/close`, headers: bearer(token) });
        assert.equal(close.statusCode, 200, close.payload);
        assert.equal((close.result as { status: string }).status, 'closed');
        assert.equal((await payInWechat(app, params)).statusCode, 400);
        assert.equal((await startPayment(app, token, order.id)).statusCode, 409);
    });

    it('refuses to close a paid order', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        await payInWechat(app, await requestPaymentFor(app, token, order.id));
        await getOrder(app, token, order.id);
        const close = await app.inject({ method: 'POST', url: `/orders/${order.id}/close`, headers: bearer(token) });
        assert.equal(close.statusCode, 409);
    });

    it('lets the reconciler close an order past its lifetime', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        await requestPaymentFor(app, token, order.id);
        await sleep(400);
        const lifetimeLater = new Date(Date.now() + (app.config.pay.orderLifetimeMinutes + 1) * 60_000);
        await app.server.services().reconciler.runOnce(lifetimeLater);
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'closed');
    });
});
