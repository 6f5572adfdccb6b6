import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { parseWxXml } from '../../src/wechat/xml';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { notify, payInWechat, placeOrder, requestPaymentFor, waitForDelivery } from '../helpers/shopper';

// WeChat may deliver one notification many times at once. The order changes exactly once.
for (const { kind, create } of databaseKinds()) {
    describe(`20 concurrent deliveries of one notification (${kind})`, () => {
        let app: TestApp;
        let database: TestDatabase;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: { WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere' } });
        });
        after(async () => {
            await app.stop();
            await database.drop();
        });

        it('are all recorded and acknowledged, and pay the order once', async () => {
            const { token } = await app.login();
            const order = await placeOrder(app, token);
            assert.equal((await payInWechat(app, await requestPaymentFor(app, token, order.id))).statusCode, 200);
            const { xml } = await waitForDelivery(app, order.out_trade_no, (d) => d.attempts.length > 0);
            const { transaction_id: transactionId } = await parseWxXml(xml);

            const { Order, PaymentNotification } = app.server.app.models;
            const answers = await Promise.all(Array.from({ length: 20 }, () => notify(app, xml)));

            assert.deepEqual(answers.map((answer) => answer.answer.return_code), Array(20).fill('SUCCESS'));
            // 'paid' is recorded only by the delivery whose conditional UPDATE changed the row.
            const outcomes = (await PaymentNotification.findAll({ where: { outTradeNo: order.out_trade_no } })).map((row) => row.outcome).sort();
            assert.deepEqual(outcomes, [...Array(19).fill('duplicate'), 'paid']);
            const paid = await Order.findByPk(order.id);
            assert.equal(paid!.status, 'paid');
            assert.equal(paid!.transactionId, transactionId);
        });
    });
}
