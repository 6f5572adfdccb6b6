import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { sign } from '../../src/wechat/sign';
import { beijingIn, merchant, pay, placeOrder, requestPaymentParams, startSimulator, type RunningSimulator } from './harness';

// POST /simulator/pay takes exactly what the mini-program passes to wx.requestPayment, and
// refuses what WeChat's client refuses, with HTTP 400 and a requestPayment:fail errMsg.

describe('POST /simulator/pay', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator({ timeScale: 0.0001 });
    });
    after(() => simulator.server.stop());

    const refusal = async (body: unknown) => {
        const response = await simulator.http.post('/simulator/pay', body);
        assert.equal(response.status, 400);
        return response.data.errMsg as string;
    };

    it('pays a valid request and says requestPayment:ok', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator);
        const response = await pay(simulator, prepayId);
        assert.equal(response.status, 200);
        assert.equal(response.data.errMsg, 'requestPayment:ok');
        assert.equal(response.data.out_trade_no, outTradeNo);
        assert.match(response.data.transaction_id, /^4200\d{24}$/);
    });

    it('takes the parameters without appId, and an HMAC-SHA256 paySign', async () => {
        const { prepayId } = await placeOrder(simulator, {}, 'HMAC-SHA256');
        const { appId: _appId, ...withoutAppId } = requestPaymentParams(prepayId, 'HMAC-SHA256');
        assert.equal((await simulator.http.post('/simulator/pay', withoutAppId)).status, 200);
    });

    it('ignores keys outside the signed fields, as WeChat does (tenpay adds a timestamp copy)', async () => {
        const { prepayId } = await placeOrder(simulator);
        const params = requestPaymentParams(prepayId);
        const response = await simulator.http.post('/simulator/pay', { ...params, timestamp: params.timeStamp, extra: 'anything' });
        assert.equal(response.status, 200, JSON.stringify(response.data));
        assert.equal(response.data.errMsg, 'requestPayment:ok');
    });

    it('refuses a forged paySign', async () => {
        const { prepayId } = await placeOrder(simulator);
        const params = requestPaymentParams(prepayId);
        const forged = sign({ ...params, paySign: undefined }, 'not-the-merchant-key-00000000000', 'MD5');
        assert.match(await refusal({ ...params, paySign: forged }), /^requestPayment:fail .*签名/);
        assert.match(await refusal({ ...params, nonceStr: 'changed-after-signing' }), /^requestPayment:fail .*签名/);
    });

    it('refuses a timeStamp that is a number or a fraction', async () => {
        const { prepayId } = await placeOrder(simulator);
        const params = requestPaymentParams(prepayId);
        assert.match(await refusal({ ...params, timeStamp: Number(params.timeStamp) }), /^requestPayment:fail .*timeStamp/);
        const fractional = { ...params, timeStamp: `${params.timeStamp}.5` };
        const signedFraction = { ...fractional, paySign: sign({ ...fractional, paySign: undefined }, merchant.apiKey, 'MD5') };
        assert.match(await refusal(signedFraction), /^requestPayment:fail .*timeStamp/);
    });

    it('refuses another appId, an unknown sign type, a package that is no prepay_id, and an unknown prepay_id', async () => {
        const { prepayId } = await placeOrder(simulator);
        const params = requestPaymentParams(prepayId);
        assert.match(await refusal({ ...params, appId: 'wx0000000000000000' }), /appId/);
        assert.match(await refusal({ ...params, signType: 'RSA' }), /signType/);
        assert.match(await refusal({ ...params, package: prepayId }), /package/);
        assert.match(await refusal(requestPaymentParams('wx20260101000000aaaaaaaaaaaaaaaaaaaa')), /prepay_id/);
        assert.match(await refusal('not json'), /^requestPayment:fail/);
    });

    it('refuses to pay an order twice', async () => {
        const { prepayId } = await placeOrder(simulator);
        assert.equal((await pay(simulator, prepayId)).status, 200);
        assert.match(await refusal(requestPaymentParams(prepayId)), /paid/);
    });

    it('refuses a prepay_id older than 2 (scaled) hours: 720 ms at timeScale 0.0001', async () => {
        const { prepayId } = await placeOrder(simulator);
        await sleep(800);
        assert.match(await refusal(requestPaymentParams(prepayId)), /expired/);
    });
});

describe('POST /simulator/pay, in real time', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator({ timeScale: 1 });
    });
    after(() => simulator.server.stop());

    it('refuses an order whose time_expire has passed, though its prepay_id is still valid', async () => {
        // time_expire has whole seconds: 1.5 s ahead is between 0.5 and 1.5 s ahead.
        const { prepayId } = await placeOrder(simulator, { time_expire: beijingIn(1500) });
        await sleep(1600);
        const response = await simulator.http.post('/simulator/pay', requestPaymentParams(prepayId));
        assert.equal(response.status, 400);
        assert.match(response.data.errMsg, /^requestPayment:fail .*time_expire/);
    });
});
