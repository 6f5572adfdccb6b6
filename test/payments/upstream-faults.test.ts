import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/wait';
import { placeOrder, requestPaymentFor, startPayment } from '../helpers/shopper';

const TIMEOUT_MS = 400;

// When WeChat Pay fails, the shopper gets a clear 502 or 504 within the timeout, no prepay
// is kept, and the very next attempt can succeed.
describe('WeChat Pay failing during POST /orders/{id}/pay', () => {
    let app: TestApp;
    let token: string;
    before(async () => {
        app = await startTestApp({ env: { WX_HTTP_TIMEOUT_MS: String(TIMEOUT_MS) } });
        ({ token } = await app.login());
    });
    after(() => app.stop());

    const faults: Array<[fault: string, status: number, message: RegExp]> = [
        ['timeout', 504, /did not answer in time/],
        ['http500', 502, /invalid reply: HTTP 500/],
        ['garbled', 502, /invalid reply: not WeChat Pay XML/],
        ['badsign', 502, /invalid reply: signature does not verify/],
        ['systemerror', 502, /SYSTEMERROR/],
    ];

    for (const [fault, status, message] of faults) {
        it(`${fault} → ${status}, the order stays payable`, async () => {
            const order = await placeOrder(app, token);
            const injected = await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'unifiedorder', fault, count: 1, delayMs: TIMEOUT_MS * 5 } });
            assert.equal(injected.statusCode < 300, true, injected.payload);

            const started = Date.now();
            const response = await startPayment(app, token, order.id);
            assert.equal(response.statusCode, status, response.payload);
            assert.match((response.result as { message: string }).message, message);
            assert.ok(Date.now() - started < TIMEOUT_MS + 1000);
            assert.equal((await app.server.app.models.Order.findByPk(order.id))!.prepayId, null);

            const retried = await requestPaymentFor(app, token, order.id);
            assert.match(retried.package, /^prepay_id=/);
        });
    }

    it('connection refused → 502', async () => {
        const closedPort = await freePort();
        const offline = await startTestApp({ env: { WX_PAY_BASE_URL: `http://127.0.0.1:${closedPort}`, WECHAT_SIMULATOR: 'true' } });
        try {
            const { token: offlineToken } = await offline.login();
            const order = await placeOrder(offline, offlineToken);
            const response = await startPayment(offline, offlineToken, order.id);
            assert.equal(response.statusCode, 502);
            assert.match((response.result as { message: string }).message, /could not be reached \(ECONNREFUSED\)/);
        }
        finally {
            await offline.stop();
        }
    });
});
