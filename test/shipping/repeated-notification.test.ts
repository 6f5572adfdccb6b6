import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { parseWxXml } from '../../src/wechat/xml';
import { deliveries, notify, resign } from '../helpers/shopper';
import { paidOrder, ship } from './support';

// WeChat repeats a payment notification for up to a day until it hears SUCCESS, and a shop may
// ship within that day: the same payment arriving again for a shipped order is a duplicate,
// acknowledged, and changes nothing (refusing it would have WeChat retry, and raise a false alarm).
describe('a payment notification repeated after the order shipped', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp();
    });
    after(() => app.stop());

    it('is acknowledged as a duplicate and the order stays shipped', async () => {
        const order = await paidOrder(app);
        assert.equal((await ship(app, order.id)).statusCode, 201);
        const stored = (await app.server.app.models.Order.findByPk(order.id))!;
        const [delivery] = await deliveries(app, stored.outTradeNo);

        const again = await notify(app, delivery!.xml);
        assert.equal(again.statusCode, 200, again.payload);
        assert.equal(again.answer.return_code, 'SUCCESS');
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'shipped');
        const outcomes = (await app.server.app.models.PaymentNotification.findAll({ where: { outTradeNo: stored.outTradeNo } })).map((row) => row.outcome);
        assert.deepEqual(outcomes.sort(), ['duplicate', 'paid']);
        assert.equal(app.logs.some((line) => line.includes('alert.payment_conflict')), false);
    });

    it('is refused, with an ALERT, when it names the same transaction with another amount', async () => {
        const order = await paidOrder(app);
        assert.equal((await ship(app, order.id)).statusCode, 201);
        const stored = (await app.server.app.models.Order.findByPk(order.id))!;
        const [delivery] = await deliveries(app, stored.outTradeNo);
        const genuine = await parseWxXml(delivery!.xml);

        const altered = await notify(app, resign(genuine, { total_fee: String(stored.totalFee - 1) }, app.config.wechat.apiKey));
        assert.equal(altered.statusCode, 400, altered.payload);
        assert.match(altered.answer.return_msg!, /total_fee/);
        assert.ok(app.logs.some((line) => line.includes('alert.amount_mismatch') && line.includes(stored.outTradeNo)));
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'shipped');
    });
});
