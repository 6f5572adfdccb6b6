import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { pay, placeOrder, requestPaymentParams, startSimulator, type RunningSimulator } from './harness';

// GET /simulator/cashier: a browser stand-in for WeChat's cashier sheet.

describe('GET /simulator/cashier', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    const open = (params: Record<string, string>) => simulator.http.get<string>('/simulator/cashier', { params, responseType: 'text' });

    it('shows the order\'s body and amount in yuan, with a Pay button posting to the relative pay route', async () => {
        const { prepayId } = await placeOrder(simulator, { body: '咖啡豆 250g', total_fee: '12305' });
        const page = await open(requestPaymentParams(prepayId));
        assert.equal(page.status, 200);
        assert.match(page.headers['content-type'] as string, /^text\/html/);
        assert.match(page.data, /咖啡豆 250g/);
        assert.match(page.data, /¥123\.05/);
        assert.match(page.data, /<button type="submit">Pay<\/button>/);
        assert.match(page.data, /fetch\('pay'/);
        assert.match(page.data, new RegExp(`value="prepay_id=${prepayId}"`));
    });

    it('says a paid order is paid, in words with its amount and transaction id, and disables Pay', async () => {
        const { prepayId } = await placeOrder(simulator, { total_fee: '1860' });
        const payment = await pay(simulator, prepayId);
        assert.equal(payment.status, 200);
        const page = await open(requestPaymentParams(prepayId));
        assert.equal(page.status, 200);
        assert.match(page.data, /This order is paid\./);
        assert.match(page.data, new RegExp(`Paid ¥18\\.60 \\(1860 fen\\)\\. Transaction ${payment.data.transaction_id}\\.`));
        assert.match(page.data, /<button type="submit" disabled>Pay<\/button>/);
    });

    it('loads nothing from elsewhere: its one script and style run under a CSP nonce', async () => {
        const { prepayId } = await placeOrder(simulator);
        const page = await open(requestPaymentParams(prepayId));
        const policy = page.headers['content-security-policy'] as string;
        const nonce = /'nonce-([0-9a-f]+)'/.exec(policy)?.[1];
        assert.ok(nonce);
        assert.match(policy, /default-src 'none'/);
        assert.match(page.data, new RegExp(`<script nonce="${nonce}">`));
        assert.doesNotMatch(page.data, /src=|href=/);
    });

    it('escapes everything it echoes', async () => {
        const { prepayId } = await placeOrder(simulator, { body: '<script>alert(1)</script>' });
        const page = await open({ ...requestPaymentParams(prepayId), nonceStr: '"><img onerror=x>' });
        assert.doesNotMatch(page.data, /<script>alert/);
        assert.doesNotMatch(page.data, /<img/);
        assert.match(page.data, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    });

    it('says so, with 404, for a prepay_id it does not know', async () => {
        const page = await open(requestPaymentParams('wx20260101000000aaaaaaaaaaaaaaaaaaaa'));
        assert.equal(page.status, 404);
        assert.match(page.data, /unknown/);
        assert.match(page.data, /disabled/);
    });

    it('refuses missing parameters with 400 naming the field', async () => {
        const { paySign: _paySign, ...params } = requestPaymentParams('wx1');
        const page = await open(params);
        assert.equal(page.status, 400);
        assert.match(page.data, /paySign/);
    });
});
