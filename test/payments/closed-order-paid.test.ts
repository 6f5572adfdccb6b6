import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { payInWechat, placeOrder, requestPaymentFor, waitForDelivery } from '../helpers/shopper';

// The money is real: when WeChat reports a genuine payment for an order this API had closed,
// refusing it would leave the shopper charged and WeChat retrying for 24 hours with nothing to
// heal it. The payment is applied and raised as an alert, so the shop ships or refunds.
describe('a genuine payment for a closed order', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp();
    });
    after(() => app.stop());

    it('is applied, acknowledged to WeChat and raised as an ALERT', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        const params = await requestPaymentFor(app, token, order.id);
        // Closed here while the shopper still had WeChat's payment sheet open (a close from before
        // closes waited for WeChat, an operator's hand in the database, …).
        await app.server.app.models.Order.update({ status: 'closed' }, { where: { id: order.id } });

        const paid = await payInWechat(app, params);
        assert.equal(paid.statusCode, 200, paid.payload);
        const delivery = await waitForDelivery(app, order.out_trade_no, (candidate) => candidate.acknowledged || candidate.attempts.length > 0);
        assert.equal(delivery.acknowledged, true, JSON.stringify(delivery.attempts));

        const stored = (await app.server.app.models.Order.findByPk(order.id))!;
        assert.equal(stored.status, 'paid');
        assert.equal(stored.transactionId, (paid.result as { transaction_id: string }).transaction_id);
        assert.ok(app.logs.some((line) => line.includes('"event":"alert.closed_order_paid"') && line.includes(order.out_trade_no)));
    });
});
