import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { placeOrder, startPayment, type RequestPayment } from '../helpers/shopper';

const TAPS = 5;
/** A slow WeChat: every tap arrives while the first unifiedorder is still out. */
const SLOW_WECHAT_MS = 150;

// Several POST /orders/{id}/pay for one order at once (a double tap, a retrying client):
// the first holds the order's pay claim while it asks WeChat, the others wait for its
// prepay, so WeChat is asked once and every tap gets the same prepay.
for (const { kind, create } of databaseKinds()) {
    describe(`concurrent pays of one order (${kind})`, () => {
        let app: TestApp;
        let token: string;
        before(async () => {
            app = await startTestApp({ database: kind === 'sqlite' ? undefined : await create() });
            ({ token } = await app.login());
        });
        after(async () => {
            await app.stop();
            if (kind !== 'sqlite') {
                await app.database.drop();
            }
        });

        it(`share one unifiedorder: ${TAPS} taps, one prepay_id`, async () => {
            const order = await placeOrder(app, token);
            await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'unifiedorder', fault: 'timeout', count: TAPS, delayMs: SLOW_WECHAT_MS } });

            const taps = await Promise.all(Array.from({ length: TAPS }, () => startPayment(app, token, order.id)));
            for (const tap of taps) {
                assert.equal(tap.statusCode, 200, tap.payload);
            }
            const prepays = new Set(taps.map((tap) => (tap.result as RequestPayment).package));
            assert.equal(prepays.size, 1, `one prepay for all taps, got ${[...prepays].join(', ')}`);
            await app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' });
        });

        it('the claim is released when WeChat fails, so the next tap asks WeChat again', async () => {
            const order = await placeOrder(app, token);
            await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'unifiedorder', fault: 'systemerror', count: 1 } });
            assert.equal((await startPayment(app, token, order.id)).statusCode, 502);
            assert.equal((await app.server.app.models.Order.findByPk(order.id))!.payClaimedUntil, null);
            assert.equal((await startPayment(app, token, order.id)).statusCode, 200);
        });
    });
}
