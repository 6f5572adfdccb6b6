import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { placeOrder, startPayment, type RequestPayment } from '../helpers/shopper';

const TRIALS = 12;
/** WeChat answering unifiedorder this slowly leaves a close all the time it needs to slip in. */
const SLOW_WECHAT_MS = 60;

// POST /orders/{id}/pay and POST /orders/{id}/close sent at the same moment. Whatever the
// interleaving, a closed order never has a payable prepay: either pay wins (and close then
// has to ask WeChat) or close wins (and pay hands out nothing).
for (const { kind, create } of databaseKinds()) {
    describe(`pay and close racing on one order (${kind})`, () => {
        let app: TestApp;
        let token: string;
        before(async () => {
            app = await startTestApp({ env: NO_ORDER_LIMITS, database: kind === 'sqlite' ? undefined : await create() });
            ({ token } = await app.login());
        });
        after(async () => {
            await app.stop();
            if (kind !== 'sqlite') {
                await app.database.drop();
            }
        });

        it(`never hands out wx.requestPayment for an order that ends up closed (${TRIALS} trials)`, async () => {
            let payWon = 0;
            let closeWon = 0;
            for (let trial = 0; trial < TRIALS; trial += 1) {
                const order = await placeOrder(app, token);
                await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'unifiedorder', fault: 'timeout', count: 1, delayMs: SLOW_WECHAT_MS } });
                const [pay, close] = await Promise.all([
                    startPayment(app, token, order.id),
                    app.inject({ method: 'POST', url: `/orders/${order.id}/close`, headers: bearer(token) }),
                ]);
                const stored = (await app.server.app.models.Order.findByPk(order.id))!;

                if (pay.statusCode === 200) {
                    payWon += 1;
                    assert.notEqual(stored.status, 'closed', `trial ${trial}: pay answered 200 but the order is closed (close said ${close.statusCode})`);
                    // The shopper pays with what they were given: the money lands on an order that is still open.
                    const { appId: _appId, ...clientParams } = pay.result as RequestPayment;
                    const paid = await app.inject({ method: 'POST', url: '/__wechat/simulator/pay', payload: clientParams });
                    assert.equal(paid.statusCode, 200, paid.payload);
                }
                else {
                    closeWon += 1;
                    assert.equal(pay.statusCode, 409, `trial ${trial}: ${pay.payload}`);
                    assert.equal(close.statusCode, 200, close.payload);
                    assert.equal(stored.status, 'closed');
                    assert.equal(stored.prepayId, null, 'a closed order keeps no prepay to hand out');
                }
            }
            assert.equal(payWon + closeWon, TRIALS);
        });
    });
}
