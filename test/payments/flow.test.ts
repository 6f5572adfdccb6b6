import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { sign, type SignType } from '../../src/wechat/sign';
import { parseWxXml } from '../../src/wechat/xml';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { getOrder, payInWechat, placeOrder, requestPaymentFor, startPayment, waitForDelivery } from '../helpers/shopper';

// The whole loop, as a shopper lives it: log in, order, pay in WeChat, and see the order paid.
for (const signType of ['MD5', 'HMAC-SHA256'] as const satisfies readonly SignType[]) {
    describe(`paying an order with ${signType} signatures`, () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ env: { WX_PAY_SIGN_TYPE: signType } });
        });
        after(() => app.stop());

        it('goes login → order → pay → WeChat client pays → notification → paid', async () => {
            const { token } = await app.login();
            const order = await placeOrder(app, token);
            assert.equal(order.total_fee, 490 * 2 + 880);

            const params = await requestPaymentFor(app, token, order.id);
            assert.deepEqual(Object.keys(params).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
            assert.equal(params.appId, app.config.wechat.appId);
            assert.match(params.timeStamp, /^\d{10}$/);
            assert.ok(Math.abs(Number(params.timeStamp) - Date.now() / 1000) < 5);
            assert.match(params.nonceStr, /^[A-Za-z0-9]{32}$/);
            assert.match(params.package, /^prepay_id=wx\w+$/);
            assert.equal(params.signType, signType);
            const { paySign, ...signed } = params;
            assert.equal(paySign, sign(signed, app.config.wechat.apiKey, signType));

            const paid = await payInWechat(app, params);
            assert.equal(paid.statusCode, 200, paid.payload);
            const transactionId = (paid.result as { transaction_id: string }).transaction_id;

            await waitForDelivery(app, order.out_trade_no, (delivery) => delivery.acknowledged);
            const after = await getOrder(app, token, order.id);
            assert.equal(after.status, 'paid');
            assert.equal(after.transaction_id, transactionId);

            const again = await startPayment(app, token, order.id);
            assert.equal(again.statusCode, 409);
        });

        it('reuses a fresh prepay: a second tap places no second unifiedorder', async () => {
            const { token } = await app.login();
            const order = await placeOrder(app, token);
            const first = await requestPaymentFor(app, token, order.id);
            const second = await requestPaymentFor(app, token, order.id);
            assert.equal(second.package, first.package);
            assert.notEqual(second.nonceStr, first.nonceStr);
            const stored = await app.server.app.models.Order.findByPk(order.id);
            assert.equal(`prepay_id=${stored!.prepayId}`, first.package);
            assert.equal(stored!.prepaySignType, signType);
        });

        it('takes the money once even when two taps race to WeChat', async () => {
            const { token } = await app.login();
            const order = await placeOrder(app, token);
            const taps = await Promise.all([requestPaymentFor(app, token, order.id), requestPaymentFor(app, token, order.id)]);
            const results = [];
            for (const params of taps) {
                results.push((await payInWechat(app, params)).statusCode);
            }
            assert.deepEqual(results.sort(), [200, 400]);
            await waitForDelivery(app, order.out_trade_no, (delivery) => delivery.acknowledged);
            assert.equal((await getOrder(app, token, order.id)).status, 'paid');
        });

        it('refuses a paySign the client did not get from us', async () => {
            const { token } = await app.login();
            const order = await placeOrder(app, token);
            const params = await requestPaymentFor(app, token, order.id);
            const forged = await payInWechat(app, { ...params, paySign: sign({ ...params, paySign: undefined }, 'x'.repeat(32), signType) });
            assert.equal(forged.statusCode, 400);
            assert.equal((await getOrder(app, token, order.id)).status, 'unpaid');
        });
    });
}

describe('who may pay', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp();
    });
    after(() => app.stop());

    it("answers 404 for another user's order, and 401 without a token", async () => {
        const owner = await app.login();
        const stranger = await app.login();
        const order = await placeOrder(app, owner.token);
        assert.equal((await startPayment(app, stranger.token, order.id)).statusCode, 404);
        assert.equal((await app.inject({ method: 'POST', url: `/orders/${order.id}/pay` })).statusCode, 401);
        assert.equal((await app.inject({ method: 'POST', url: `/orders/${order.id}/close`, headers: bearer(stranger.token) })).statusCode, 404);
    });

    it('sends WeChat the stored total, the openid of the payer and the out_trade_no of the order', async () => {
        const { token, userId } = await app.login();
        const order = await placeOrder(app, token, [{ goods_id: 3, count: 3 }]);
        assert.equal((await payInWechat(app, await requestPaymentFor(app, token, order.id))).statusCode, 200);
        const delivery = await waitForDelivery(app, order.out_trade_no, (d) => d.acknowledged);
        const fields = await parseWxXml(delivery.xml);
        const user = await app.server.app.models.User.findByPk(userId);
        assert.equal(fields.total_fee, String(2990 * 3));
        assert.equal(fields.openid, user!.openId);
        assert.equal(fields.out_trade_no, order.out_trade_no);
    });
});
