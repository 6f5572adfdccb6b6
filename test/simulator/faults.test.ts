import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { parseWxXml } from '../../src/wechat/xml';
import { jsapiOrder, merchant, pay, payCall, placeOrder, signedXml, startSimulator, type RunningSimulator } from './harness';

// POST /simulator/faults makes the next `count` calls of an endpoint fail one way, before
// any state changes; DELETE clears them. Each kind as the app would meet it.

describe('fault injection', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    afterEach(() => simulator.http.delete('/simulator/faults'));
    after(() => simulator.server.stop());

    const inject = async (fault: Record<string, unknown>) => {
        const response = await simulator.http.post('/simulator/faults', fault);
        assert.equal(response.status, 201);
    };
    const rawOrder = (order = jsapiOrder(), timeout = 2000) =>
        simulator.http.post<string>('/pay/unifiedorder', signedXml(order), { responseType: 'text', timeout });
    const login = (code: string) => simulator.http.get('/sns/jscode2session', {
        params: { appid: merchant.appId, secret: merchant.appSecret, js_code: code, grant_type: 'authorization_code' },
        responseType: 'text',
    });

    it('http500 answers HTTP 500 for the next `count` calls, then calls go through', async () => {
        await inject({ endpoint: 'unifiedorder', fault: 'http500', count: 2 });
        assert.equal((await rawOrder()).status, 500);
        assert.equal((await rawOrder()).status, 500);
        assert.equal((await parseWxXml((await rawOrder()).data)).result_code, 'SUCCESS');
    });

    it('garbled answers 200 with text that is not XML', async () => {
        await inject({ endpoint: 'orderquery', fault: 'garbled' });
        const response = await simulator.http.post<string>('/pay/orderquery', '<xml/>', { responseType: 'text' });
        assert.equal(response.status, 200);
        await assert.rejects(parseWxXml(response.data));
    });

    it('badsign answers a normal-looking reply whose sign does not verify, and changes nothing', async () => {
        await inject({ endpoint: 'unifiedorder', fault: 'badsign' });
        const order = jsapiOrder();
        const reply = await parseWxXml((await rawOrder(order)).data);
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'SUCCESS');
        assert.match(reply.prepay_id as string, /^wx\d{14}/);
        assert.equal(reply.sign?.length, 32);
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), false);
        assert.equal((await payCall(simulator, '/pay/orderquery', { out_trade_no: order.out_trade_no as string })).err_code, 'ORDERNOTEXIST');
        assert.equal((await pay(simulator, reply.prepay_id as string)).status, 400);
    });

    it('badsign on orderquery claims an unpaid order is paid, with a sign that does not verify', async () => {
        const { outTradeNo } = await placeOrder(simulator);
        await inject({ endpoint: 'orderquery', fault: 'badsign' });
        const forged = await payCall(simulator, '/pay/orderquery', { out_trade_no: outTradeNo });
        assert.equal(forged.trade_state, 'SUCCESS');
        assert.equal(verify(forged, merchant.apiKey, 'MD5'), false);
        assert.equal((await payCall(simulator, '/pay/orderquery', { out_trade_no: outTradeNo })).trade_state, 'NOTPAY');
    });

    it('systemerror answers a signed SYSTEMERROR', async () => {
        const { outTradeNo } = await placeOrder(simulator);
        await inject({ endpoint: 'closeorder', fault: 'systemerror' });
        const reply = await payCall(simulator, '/pay/closeorder', { out_trade_no: outTradeNo });
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'FAIL');
        assert.equal(reply.err_code, 'SYSTEMERROR');
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
    });

    it('timeout holds the reply for delayMs, then WeChat has done the work anyway', async () => {
        await inject({ endpoint: 'unifiedorder', fault: 'timeout', delayMs: 300 });
        const order = jsapiOrder();
        const started = Date.now();
        await assert.rejects(rawOrder(order, 100), (error: { code?: string }) => error.code === 'ECONNABORTED');
        assert.ok(Date.now() - started < 300);
        await new Promise((resolve) => setTimeout(resolve, 400));
        assert.equal((await payCall(simulator, '/pay/orderquery', { out_trade_no: order.out_trade_no as string })).trade_state, 'NOTPAY');
    });

    it('on jscode2session: errcode -1 for badsign and systemerror, HTTP 500, garbled, and the code stays unused', async () => {
        await inject({ endpoint: 'jscode2session', fault: 'badsign' });
        await inject({ endpoint: 'jscode2session', fault: 'systemerror' });
        await inject({ endpoint: 'jscode2session', fault: 'http500' });
        await inject({ endpoint: 'jscode2session', fault: 'garbled' });
        assert.deepEqual(JSON.parse((await login('hana.1')).data), { errcode: -1, errmsg: 'system error' });
        assert.deepEqual(JSON.parse((await login('hana.1')).data), { errcode: -1, errmsg: 'system error' });
        assert.equal((await login('hana.1')).status, 500);
        const garbled = await login('hana.1');
        assert.equal(garbled.status, 200);
        assert.throws(() => JSON.parse(garbled.data));
        assert.ok(JSON.parse((await login('hana.1')).data).openid);
    });

    it("on stable_token: WeChat's refusals of the mini-program's setup, until cleared", async () => {
        const stableToken = () => simulator.http.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: merchant.appId, secret: merchant.appSecret });
        await inject({ endpoint: 'stable_token', fault: 'ip_not_whitelisted', count: 2 });
        await inject({ endpoint: 'stable_token', fault: 'invalid_appsecret' });
        await inject({ endpoint: 'stable_token', fault: 'appsecret_frozen' });
        await inject({ endpoint: 'stable_token', fault: 'invalid_appid' });
        for (let call = 0; call < 2; call += 1) {
            const refused = (await stableToken()).data as { errcode: number; errmsg: string };
            assert.equal(refused.errcode, 40164);
            assert.match(refused.errmsg, /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist/, 'names the address to whitelist');
        }
        assert.deepEqual((await stableToken()).data, { errcode: 40125, errmsg: 'invalid appsecret' });
        assert.equal((await stableToken()).data.errcode, 40243);
        assert.equal((await stableToken()).data.errcode, 40013);
        assert.ok((await stableToken()).data.access_token);
    });

    it('DELETE clears every pending fault', async () => {
        await inject({ endpoint: 'unifiedorder', fault: 'http500', count: 5 });
        assert.equal((await simulator.http.delete('/simulator/faults')).status, 204);
        assert.equal((await rawOrder()).status, 200);
    });

    it('refuses a bad fault with 400 naming the field', async () => {
        for (const [body, field] of [
            [{ endpoint: 'transfers', fault: 'http500' }, 'endpoint'],
            [{ endpoint: 'unifiedorder', fault: 'explode' }, 'fault'],
            [{ endpoint: 'unifiedorder', fault: 'http500', count: 0 }, 'count'],
            [{ endpoint: 'unifiedorder', fault: 'timeout', delayMs: -1 }, 'delayMs'],
            [{ endpoint: 'upload_shipping_info', fault: 'ip_not_whitelisted' }, 'fault'],
        ] as const) {
            const response = await simulator.http.post('/simulator/faults', body);
            assert.equal(response.status, 400);
            assert.match(response.data.message, new RegExp(field));
        }
    });
});
