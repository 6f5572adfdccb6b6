import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { payInWechat, placeOrder, requestPaymentFor } from '../helpers/shopper';

const ABANDONED = 60;
const INTERVAL_MS = 60_000;

// A shop with more abandoned prepays than one reconcile run examines (50) still has every
// order looked at: claims outlast the interval and each run takes the least recently examined
// first, so a payment whose notification was lost behind 60 abandoned carts heals in two runs.
describe('the reconciler, behind many abandoned prepays', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ env: { ...NO_ORDER_LIMITS, WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere', RECONCILE_INTERVAL_MS: String(INTERVAL_MS) } });
    });
    after(() => app.stop());

    it(`reaches a lost payment queued behind ${ABANDONED} abandoned prepays within two runs at its interval`, async () => {
        const { token } = await app.login();
        for (let index = 0; index < ABANDONED; index += 1) {
            await requestPaymentFor(app, token, (await placeOrder(app, token, [{ goods_id: 1, count: 1 }])).id);
        }
        const lost = await placeOrder(app, token, [{ goods_id: 1, count: 1 }]);
        const paid = await payInWechat(app, await requestPaymentFor(app, token, lost.id));
        assert.equal(paid.statusCode, 200, paid.payload);

        const { reconciler } = app.server.services();
        const start = Date.now() + 61_000;
        const first = await reconciler.runOnce(new Date(start));
        const second = await reconciler.runOnce(new Date(start + INTERVAL_MS));
        assert.equal(first.examined + second.examined, ABANDONED + 1, JSON.stringify({ first, second }));
        assert.equal(first.paid + second.paid, 1);
        assert.equal((await app.server.app.models.Order.findByPk(lost.id))!.status, 'paid');
    });
});
