import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../test/helpers/app';
import { eventually } from '../test/helpers/wait';
import { openBrowser, type Browser } from './browser';

// The simulator's cashier page in a real browser: a shopper presses Pay, the page says it is
// paid (amount, transaction id) and cannot pay again, and the order reads paid in the API.

describe("the simulator's cashier page", () => {
    let app: TestApp;
    let browser: Browser;
    let token: string;

    before(async () => {
        app = await startTestApp();
        ({ token } = await app.login());
        browser = await openBrowser();
    });

    after(async () => {
        await browser?.close();
        await app.stop();
    });

    const api = async (method: string, url: string, payload?: object) => {
        const response = await app.inject({ method, url, headers: bearer(token), payload });
        assert.ok(response.statusCode < 300, response.payload);
        return response.result as Record<string, unknown>;
    };

    it('pays an order: the page shows it paid in words, Pay is disabled, and GET /orders/{id} reads paid', async () => {
        const order = await api('POST', '/orders', { goodsList: [{ goods_id: 1, count: 2 }, { goods_id: 4, count: 1 }] });
        assert.equal(order.total_fee, 1860);
        const payParams = await api('POST', `/orders/${order.id}/pay`) as Record<string, string>;
        // What README's one-liner does: the pay reply as the cashier URL's query string.
        const cashierUrl = `${app.server.info.uri}/__wechat/simulator/cashier?${new URLSearchParams(payParams).toString()}`;

        const { page } = browser;
        await page.goto(cashierUrl);
        assert.match(await page.locator('.amount').innerText(), /¥18\.60/);
        const pay = page.getByRole('button', { name: 'Pay' });
        assert.equal(await pay.isEnabled(), true);
        await pay.click();

        const result = page.locator('#result');
        await result.filter({ hasText: 'Paid' }).waitFor();
        assert.match(await result.innerText(), /^Paid ¥18\.60 \(1860 fen\)\. Transaction 4200\d{24}\.$/);
        assert.equal(await pay.isDisabled(), true);
        await browser.screenshot('cashier-paid');

        const paid = await eventually('order paid', async () => {
            const latest = await api('GET', `/orders/${order.id}`);
            return latest.status === 'paid' ? latest : undefined;
        }, 10_000);
        assert.match(await result.innerText(), new RegExp(`Transaction ${String(paid.transaction_id)}\\.`));

        await page.reload();
        await page.getByText('This order is paid.').waitFor();
        assert.equal(await pay.isDisabled(), true);
        await browser.screenshot('cashier-paid-reloaded');
    });
});
