import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { eventually } from '../helpers/wait';
import { ADMIN, atWechat, EXPRESS, FAST_UPLOADS, settledShipment, ship } from '../shipping/support';
import { installShopper } from './fake-wx';
import { exampleConfig, openPage, type OpenPage } from './mini-program';
import { orderAsTheShopSeesIt, orderThroughTheCart } from './support';

// After payment, on the example mini-program's order page: the shop ships and the shopper
// confirms receipt in WeChat's order-shipping service, then in the API; the shopper asks for a
// refund and reads the shop's answer.

describe('the example mini-program: receipt and refunds', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ env: { ...NO_ORDER_LIMITS, ...FAST_UPLOADS } });
        exampleConfig.apiBase = app.server.info.uri;
        exampleConfig.paymentPoll = { everyMs: 50, times: 200 };
    });
    after(() => app.stop());

    /** A new shopper's paid order, open on its page. */
    async function paidOrderPage(goods = [0, 0]): Promise<{ page: OpenPage; orderId: number }> {
        const shopper = installShopper(app);
        const url = await orderThroughTheCart(shopper, goods);
        const page = await openPage(url);
        await page.tap('.pay');
        assert.equal(page.text('.message'), 'Paid. Thank you!');
        return { page, orderId: Number(url.split('=')[1]) };
    }

    /** The shopper pulls the page down until `done` holds. */
    function pullUntil(page: OpenPage, what: string, done: () => boolean): Promise<true> {
        return eventually(what, async () => {
            await page.trigger('onPullDownRefresh');
            return done() || undefined;
        }, 10_000, 50);
    }

    it('after the shop ships, confirms receipt in WeChat and the order completes', async () => {
        const { page, orderId } = await paidOrderPage();
        assert.equal(page.has('.confirm-receipt'), false, 'nothing to receive before shipping');
        assert.equal((await ship(app, orderId)).statusCode, 201);
        assert.equal((await settledShipment(app, orderId)).upload.state, 'uploaded');

        await pullUntil(page, 'the order shows shipped', () => page.text('.status') === 'Shipped');
        assert.equal(page.text('.shipment'), `Sent by ${EXPRESS.express_company}, tracking number ${EXPRESS.tracking_no}`);
        await page.tap('.confirm-receipt');
        assert.equal(page.text('.message'), 'Receipt confirmed. The order is complete.');
        assert.equal(page.text('.status'), 'Completed');
        assert.equal(page.has('.confirm-receipt'), false);

        const { status, transaction_id: transactionId } = await orderAsTheShopSeesIt(app, orderId);
        assert.equal(status, 'completed');
        assert.equal((await atWechat(app, transactionId!)).receiptConfirmed, true, "confirmed in WeChat's order-shipping service first");
    });

    it("says WeChat's refusal when receipt is confirmed before the shipment reached WeChat, and the order stays shipped", async () => {
        const { page, orderId } = await paidOrderPage();
        await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'upload_shipping_info', fault: 'systemerror', count: 1000 } });
        try {
            assert.equal((await ship(app, orderId)).statusCode, 201);
            await pullUntil(page, 'the order shows shipped', () => page.text('.status') === 'Shipped');
            await page.tap('.confirm-receipt');
            assert.equal(page.text('.message'), 'WeChat did not confirm receipt: nothing was shipped for this transaction_id: WeChat has no receipt to confirm.');
            assert.equal(page.text('.status'), 'Shipped');
        }
        finally {
            await app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' });
        }
        assert.equal((await settledShipment(app, orderId)).upload.state, 'uploaded');
        await page.tap('.confirm-receipt');
        assert.equal(page.text('.status'), 'Completed');
    });

    it('asks for a refund and sees it pending, then refunded once the shop grants it', async () => {
        const { page, orderId } = await paidOrderPage();
        assert.equal(page.has('.ask-refund'), true);
        await page.type('.reason', 'arrived broken');
        await page.tap('.ask-refund');
        assert.equal(page.text('.message'), 'Refund requested. The shop will answer here.');
        assert.equal(page.text('.refund-request'), 'Refund requested: waiting for the shop');
        assert.equal(page.has('.ask-refund'), false, 'one pending request at a time');

        const request = await pendingRequestOf(orderId);
        assert.equal(request.reason, 'arrived broken');
        const granted = await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/grant`, headers: ADMIN });
        assert.equal(granted.statusCode, 202, granted.payload);

        await pullUntil(page, 'the refund shows refunded', () => page.text('.status') === 'Refunded');
        assert.equal(page.text('.refund-request'), 'The shop granted your refund');
        assert.deepEqual(page.texts('.refund'), ['¥9.80 refunded']);
        assert.equal(page.has('.ask-refund'), false);
        assert.equal((await orderAsTheShopSeesIt(app, orderId)).status, 'refunded');
    });

    it("shows the shop's note when it declines, and the shopper may ask again", async () => {
        const { page, orderId } = await paidOrderPage([1]);
        await page.type('.reason', 'changed my mind');
        await page.tap('.ask-refund');
        const request = await pendingRequestOf(orderId);
        const declined = await app.inject({ method: 'POST', url: `/admin/refund-requests/${request.id}/decline`, headers: ADMIN, payload: { note: 'opened goods cannot be returned' } });
        assert.equal(declined.statusCode, 200, declined.payload);

        await pullUntil(page, 'the answer shows', () => page.text('.refund-request') !== 'Refund requested: waiting for the shop');
        assert.equal(page.text('.refund-request'), 'The shop declined your refund: opened goods cannot be returned');
        assert.equal(page.text('.status'), 'Paid: the shop is preparing it');
        assert.equal(page.has('.ask-refund'), true);
    });

    async function pendingRequestOf(orderId: number): Promise<{ id: number; reason: string }> {
        const response = await app.inject({ method: 'GET', url: '/admin/refund-requests?status=pending&limit=100', headers: ADMIN });
        const request = (response.result as { results: Array<{ id: number; order_id: number; reason: string }> }).results.find((one) => one.order_id === orderId);
        assert.ok(request, `a pending request for order ${orderId}`);
        return request;
    }
});
