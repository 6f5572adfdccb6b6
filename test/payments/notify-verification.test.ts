import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { parseWxXml } from '../../src/wechat/xml';
import { startTestApp, type TestApp } from '../helpers/app';
import { getOrder, notify, payInWechat, placeOrder, requestPaymentFor, resign, waitForDelivery, type PlacedOrder } from '../helpers/shopper';

// A notification changes an order only when its signature, appid, mch_id, result and amount
// all hold. Everything else is refused, recorded, and leaves the order as it was.
describe('the payment notification', () => {
    let app: TestApp;
    let token: string;
    let order: PlacedOrder;
    let genuine: Record<string, string>;
    const orderRow = () => app.server.app.models.Order.findByPk(order.id);

    before(async () => {
        // Notifications go nowhere, so the test alone decides what reaches the app.
        app = await startTestApp({ env: { WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere' } });
        ({ token } = await app.login());
        order = await placeOrder(app, token);
        const paid = await payInWechat(app, await requestPaymentFor(app, token, order.id));
        assert.equal(paid.statusCode, 200, paid.payload);
        const delivery = await waitForDelivery(app, order.out_trade_no, (d) => d.attempts.length > 0);
        genuine = await parseWxXml(delivery.xml);
    });
    after(() => app.stop());

    const key = () => app.config.wechat.apiKey;
    const refusals: Array<[string, () => string, RegExp]> = [
        ['a missing sign', () => resign(genuine, {}, key()).replace(/<sign>.*<\/sign>/, ''), /signature/],
        ['a wrong sign', () => resign(genuine, {}, key()).replace(/<sign><!\[CDATA\[(\w)/, (_all, first: string) => `<sign><![CDATA[${first === 'A' ? 'B' : 'A'}`), /signature/],
        ['a sign made with another key', () => resign(genuine, {}, 'f'.repeat(32)), /signature/],
        ['a field changed after signing', () => resign(genuine, {}, key()).replace(genuine.transaction_id!, '4200000000000000000000000001'), /signature/],
        ['the sign type switched', () => resign(genuine, { sign_type: 'HMAC-SHA256' }, key(), 'MD5'), /signature/],
        ['another appid', () => resign(genuine, { appid: 'wx0000000000000000' }, key()), /appid or mch_id/],
        ['another mch_id', () => resign(genuine, { mch_id: '1900000000' }, key()), /appid or mch_id/],
        ['an amount one fen short', () => resign(genuine, { total_fee: String(order.total_fee - 1) }, key()), /total_fee/],
        ['an amount one fen over', () => resign(genuine, { total_fee: String(order.total_fee + 1) }, key()), /total_fee/],
        ['an unknown out_trade_no', () => resign(genuine, { out_trade_no: 'NOSUCHORDER000001' }, key()), /unknown out_trade_no/],
        ['return_code FAIL', () => resign(genuine, { return_code: 'FAIL' }, key()), /return_code/],
        ['a DOCTYPE', () => `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><a>&a;</a></xml>`, /malformed/],
        ['JSON', () => JSON.stringify(genuine), /malformed/],
        ['an empty body', () => '', /malformed/],
    ];

    for (const [what, body, reason] of refusals) {
        it(`refuses ${what}: FAIL, the order untouched, the delivery recorded`, async () => {
            const before = await app.server.app.models.PaymentNotification.count();
            const { statusCode, answer } = await notify(app, body());
            assert.equal(statusCode, 400);
            assert.equal(answer.return_code, 'FAIL');
            assert.match(answer.return_msg ?? '', reason);
            assert.equal((await orderRow())!.status, 'unpaid');
            const recorded = await app.server.app.models.PaymentNotification.findAll({ order: [['id', 'DESC']], limit: 1 });
            assert.equal(await app.server.app.models.PaymentNotification.count(), before + 1);
            assert.equal(recorded[0]!.outcome, 'rejected');
        });
    }

    it('acknowledges a genuine failed payment and leaves the order unpaid', async () => {
        const { statusCode, answer } = await notify(app, resign(genuine, { result_code: 'FAIL', err_code: 'NOTENOUGH', err_code_des: '余额不足', transaction_id: undefined }, key()));
        assert.equal(statusCode, 200);
        assert.equal(answer.return_code, 'SUCCESS');
        assert.equal((await orderRow())!.status, 'unpaid');
    });

    it('accepts the genuine one as application/xml, once; a repeat is acknowledged and changes nothing', async () => {
        const body = resign(genuine, {}, key());
        const first = await notify(app, body, 'application/xml');
        assert.deepEqual([first.statusCode, first.answer], [200, { return_code: 'SUCCESS', return_msg: 'OK' }]);
        const paid = await orderRow();
        assert.equal(paid!.status, 'paid');
        assert.equal(paid!.transactionId, genuine.transaction_id);
        assert.equal(paid!.paidAt!.getTime(), Date.UTC(
            Number(genuine.time_end!.slice(0, 4)), Number(genuine.time_end!.slice(4, 6)) - 1, Number(genuine.time_end!.slice(6, 8)),
            Number(genuine.time_end!.slice(8, 10)) - 8, Number(genuine.time_end!.slice(10, 12)), Number(genuine.time_end!.slice(12, 14)),
        ));

        const repeat = await notify(app, body);
        assert.deepEqual([repeat.statusCode, repeat.answer.return_code], [200, 'SUCCESS']);
        assert.equal((await orderRow())!.updatedAt.getTime(), paid!.updatedAt.getTime());
        assert.equal((await getOrder(app, token, order.id)).status, 'paid');
    });

    it('refuses a second transaction for a paid order, and logs an alert', async () => {
        const { statusCode, answer } = await notify(app, resign(genuine, { transaction_id: '4200000000000000000000000002' }, key()));
        assert.equal(statusCode, 400);
        assert.match(answer.return_msg!, /already paid/);
        assert.equal((await orderRow())!.transactionId, genuine.transaction_id);
        assert.ok(app.logs.some((line) => line.includes('"alert":"payment_conflict"')));
    });

    it('refuses a body over 64 KB without reading it', async () => {
        const response = await app.inject({ method: 'POST', url: '/orders/pay/notify', headers: { 'content-type': 'text/xml' }, payload: 'x'.repeat(65 * 1024) });
        assert.equal(response.statusCode, 413);
    });
});
