import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { WxPayService } from '../../src/services/wx-pay-service';
import { createWechatHttpClient } from '../../src/wechat/http';
import { startTestApp, type TestApp } from '../helpers/app';
import { payInWechat, placeOrder, requestPaymentFor, startPayment } from '../helpers/shopper';

// When WeChat knows better than our database (the payment's notification was lost, or the
// order was closed at WeChat), a new unifiedorder's answer brings the order up to date.
describe('unifiedorder answering that the order is no longer payable', () => {
    let app: TestApp;
    let token: string;
    const threeHoursAgo = () => new Date(Date.now() - 3 * 60 * 60_000);

    before(async () => {
        app = await startTestApp({ env: { WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere', ORDER_QUERY_THROTTLE_MS: '600000' } });
        ({ token } = await app.login());
    });
    after(() => app.stop());

    it('ORDERPAID: the payment is synced through orderquery and the answer is 409', async () => {
        const order = await placeOrder(app, token);
        const paid = await payInWechat(app, await requestPaymentFor(app, token, order.id));
        assert.equal(paid.statusCode, 200);
        // The stored prepay is too old to hand out again, so /pay asks WeChat anew.
        await app.server.app.models.Order.update({ prepayAt: threeHoursAgo() }, { where: { id: order.id } });

        const response = await startPayment(app, token, order.id);
        assert.equal(response.statusCode, 409);
        assert.match((response.result as { message: string }).message, /already paid/);
        const synced = await app.server.app.models.Order.findByPk(order.id);
        assert.equal(synced!.status, 'paid');
        assert.equal(synced!.transactionId, (paid.result as { transaction_id: string }).transaction_id);
    });

    it('ORDERCLOSED: the order is marked closed and the answer is 409', async () => {
        const order = await placeOrder(app, token);
        await requestPaymentFor(app, token, order.id);
        await sleep(400); // WeChat's 5-minute close rule, on the simulator's scaled clock
        const closed = await new WxPayService(app.config.wechat, createWechatHttpClient(2000)).closeTrade(order.out_trade_no);
        assert.equal(closed, 'closed');
        await app.server.app.models.Order.update({ prepayAt: threeHoursAgo() }, { where: { id: order.id } });

        const response = await startPayment(app, token, order.id);
        assert.equal(response.statusCode, 409);
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'closed');
    });
});
