import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { deliveries } from '../helpers/shopper';
import { eventually } from '../helpers/wait';
import { installShopper, type Shopper } from './fake-wx';
import { exampleConfig, openPage, type OpenPage } from './mini-program';
import { orderAsTheShopSeesIt, orderThroughTheCart } from './support';

// The example mini-program's pages against the running API and the simulator: browsing, the cart,
// placing an order, paying with wx.requestPayment, cancelling, closing.

describe('the example mini-program: shopping and paying', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ env: { ...NO_ORDER_LIMITS } });
        exampleConfig.apiBase = app.server.info.uri;
        exampleConfig.paymentPoll = { everyMs: 50, times: 200 };
    });
    after(() => app.stop());

    it('signs in, shows shops and goods, fills the cart, places the order, pays, and reads the order until the server says paid', async () => {
        const shopper = installShopper(app);
        const shops = await openPage('/pages/shops/shops');
        assert.deepEqual(shops.texts('.shop .name'), ['店铺1', '店铺2', '店铺3', '店铺4']);
        await shops.tap('.shop', 0);
        assert.equal(shopper.navigations.at(-1), `/pages/goods/goods?shopId=1&name=${encodeURIComponent('店铺1')}`);

        const goods = await openPage(shopper.navigations.at(-1)!);
        assert.equal(goods.text('.shop-name'), '店铺1');
        assert.deepEqual(goods.texts('.goods .name'), ['商品1-1', '商品1-2', '商品1-3']);
        assert.deepEqual(goods.texts('.goods .price'), ['¥4.90', '¥12.80', '¥29.90'], 'integer fen shown as yuan');
        await goods.tap('.add', 0);
        await goods.tap('.add', 0);
        await goods.tap('.add', 1);
        assert.equal(goods.text('.to-cart'), 'Cart (3)');
        assert.deepEqual(shopper.toasts, ['Added to cart', 'Added to cart', 'Added to cart']);
        assert.deepEqual(shopper.logins, [], 'browsing needs no sign-in');
        await goods.tap('.to-cart');
        assert.equal(shopper.navigations.at(-1), '/pages/cart/cart');

        const cart = await openPage('/pages/cart/cart');
        assert.deepEqual(cart.texts('.line .name'), ['商品1-1', '商品1-2']);
        assert.deepEqual(cart.texts('.number'), ['2', '1']);
        assert.match(cart.text('.total')!, /^About ¥22\.60/);
        await cart.tap('.place-order');
        assert.equal(shopper.logins.length, 1, 'placing the order signed in with wx.login');
        assert.ok(shopper.storage.has('token'));
        const orderUrl = shopper.navigations.at(-1)!;
        assert.match(orderUrl, /^\/pages\/order\/order\?id=\d+$/);
        assert.equal(cart.text('.empty'), 'Your cart is empty.');

        const order = await openPage(orderUrl);
        const orderId = Number(orderUrl.split('=')[1]);
        assert.equal(order.text('.status'), 'Waiting for payment');
        assert.deepEqual(order.texts('.line .name'), ['商品1-1 × 2', '商品1-2 × 1']);
        assert.deepEqual(order.texts('.line .price'), ['¥4.90', '¥12.80']);
        assert.equal(order.text('.total'), 'Total ¥22.60');
        await order.tap('.pay');
        assert.equal(order.text('.message'), 'Paid. Thank you!');
        assert.equal(order.text('.status'), 'Paid: the shop is preparing it');
        assert.equal(order.has('.pay'), false);

        const stored = await orderAsTheShopSeesIt(app, orderId);
        assert.equal(stored.status, 'paid');
        assert.equal(stored.total_fee, 2260, 'priced by the server from its own goods');
        const [notification] = await deliveries(app, stored.out_trade_no);
        assert.equal(notification?.acknowledged, true, "WeChat's notification landed");
        const afterPay = shopper.calls.slice(shopper.calls.findIndex((call) => call.path === `/orders/${orderId}/pay`));
        assert.deepEqual(afterPay.map(({ method, path }) => `${method} ${path}`).at(-1), `GET /orders/${orderId}`, 'the order was read after paying');

        const orders = await openPage('/pages/orders/orders');
        assert.deepEqual(orders.texts('.order .lines'), ['商品1-1 × 2, 商品1-2 × 1']);
        assert.deepEqual(orders.texts('.order .status'), ['Paid: the shop is preparing it']);
        assert.deepEqual(orders.texts('.order .price'), ['¥22.60']);
        await orders.tap('.order');
        assert.equal(shopper.navigations.at(-1), orderUrl);
        assert.equal(shopper.logins.length, 1, 'one sign-in for the whole visit');
    });

    it('says a cancelled payment in words, and the order can still be paid', async () => {
        const shopper = installShopper(app);
        const order = await openPage(await orderThroughTheCart(shopper, [0]));
        shopper.paySheet = 'cancel';
        await order.tap('.pay');
        assert.equal(order.text('.message'), 'Payment cancelled: nothing was charged. The order is still waiting for payment.');
        assert.equal(order.text('.status'), 'Waiting for payment');

        shopper.paySheet = 'pay';
        await order.tap('.pay');
        assert.equal(order.text('.message'), 'Paid. Thank you!');
        assert.equal(order.text('.status'), 'Paid: the shop is preparing it');
    });

    it('closes an unpaid order, which then cannot be paid', async () => {
        const shopper = installShopper(app);
        const url = await orderThroughTheCart(shopper, [1]);
        const order = await openPage(url);
        await order.tap('.close');
        assert.equal(order.text('.message'), 'Order closed.');
        assert.equal(order.text('.status'), 'Closed');
        assert.equal(order.has('.pay'), false);
        assert.equal(order.has('.close'), false);
        assert.equal((await orderAsTheShopSeesIt(app, Number(url.split('=')[1]))).status, 'closed');
    });

    it('in WeChat DevTools, which cannot pay the simulator, prints the cashier page and reads the order until it is paid there', async () => {
        const shopper = installShopper(app);
        const order = await openPage(await orderThroughTheCart(shopper, [2]));
        shopper.paySheet = 'devtools';
        const printed = mock.method(console, 'info', () => undefined);
        try {
            const paying = order.tap('.pay');
            const cashier = await cashierUrlPrinted(() => printed.mock.calls.map((call) => String(call.arguments[0])));
            assert.ok(cashier.startsWith(`${app.server.info.uri}/__wechat/simulator/cashier?`));
            await whileReading(shopper, 3);
            assert.equal(order.text('.status'), 'Waiting for payment');
            await payOnCashierPage(cashier);
            await paying;
        }
        finally {
            printed.mock.restore();
        }
        assert.equal(order.text('.message'), 'Paid. Thank you!');
        assert.equal(order.text('.status'), 'Paid: the shop is preparing it');
    });

    it('says what the API refused in its words: a closed order cannot be paid', async () => {
        const shopper = installShopper(app);
        const url = await orderThroughTheCart(shopper, [0]);
        const order: OpenPage = await openPage(url);
        await app.inject({ method: 'POST', url: `/orders/${url.split('=')[1]}/close`, headers: { authorization: `Bearer ${JSON.parse(shopper.storage.get('token')!)}` } });
        await order.tap('.pay');
        assert.match(order.text('.message')!, /^order \d+ is closed$/);
        assert.equal(order.text('.status'), 'Closed', 'the page reads the order again');
        assert.equal(order.has('.pay'), false);
    });
});

describe('the example mini-program: closing an order WeChat is still paying', () => {
    let app: TestApp;

    before(async () => {
        // WeChat's 5 minutes between starting payment and closing, at their real length.
        app = await startTestApp({ env: { SIMULATOR_TIME_SCALE: '1' } });
        exampleConfig.apiBase = app.server.info.uri;
    });
    after(() => app.stop());

    it('says why WeChat will not close an order just after a cancelled payment, and the order stays payable', async () => {
        const shopper = installShopper(app);
        const order = await openPage(await orderThroughTheCart(shopper, [0]));
        shopper.paySheet = 'cancel';
        await order.tap('.pay');
        await order.tap('.close');
        assert.equal(order.text('.message'), 'WeChat Pay cannot close this order yet (not within 5 minutes of paying). Try again later.');
        assert.equal(order.text('.status'), 'Waiting for payment');
        assert.equal(order.has('.pay'), true);
    });
});

const CASHIER_LINE = "Pay on the simulator's cashier page: ";

/** The url the page printed for the simulator's cashier page. */
function cashierUrlPrinted(lines: () => string[]): Promise<string> {
    return eventually('the cashier page printed', async () => lines().find((line) => line.startsWith(CASHIER_LINE))?.slice(CASHIER_LINE.length));
}

/** Waits until the page has read the order `times` more times. */
async function whileReading(shopper: Shopper, times: number): Promise<void> {
    const reads = () => shopper.calls.filter((call) => call.method === 'GET' && /^\/orders\/\d+$/.test(call.path)).length;
    const target = reads() + times;
    await eventually(`${times} more reads of the order`, async () => (reads() >= target ? true : undefined));
}

/** What the cashier page's Pay button does: post its parameters to the simulator's pay route. */
async function payOnCashierPage(cashierUrl: string): Promise<void> {
    const page = await fetch(cashierUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form id="pay">/);
    const params = Object.fromEntries(new URL(cashierUrl).searchParams);
    const paid = await fetch(new URL('pay', cashierUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    assert.equal(paid.status, 200, await paid.text());
}
