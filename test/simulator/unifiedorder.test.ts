import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { buildWxXml } from '../../src/wechat/xml';
import { beijingIn, jsapiOrder, merchant, newOutTradeNo, payCall, placeOrder, postXml, startSimulator, type RunningSimulator } from './harness';

// POST /pay/unifiedorder: what WeChat checks, in the order it checks it, and the prepay_id it gives.

describe('POST /pay/unifiedorder', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    it('answers a valid JSAPI order with a signed prepay_id', async () => {
        const { reply } = await placeOrder(simulator);
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(reply.appid, merchant.appId);
        assert.equal(reply.mch_id, merchant.mchId);
        assert.equal(reply.trade_type, 'JSAPI');
        assert.match(reply.prepay_id as string, /^wx\d{14}[0-9a-f]{20}$/);
        assert.ok((reply.nonce_str as string).length <= 32);
        assert.equal(reply.sign_type, undefined);
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
    });

    it('says so when the body is not XML, unsigned', async () => {
        const reply = await postXml(simulator, '/pay/unifiedorder', 'appid=wxd930ea5d5a258f4f');
        assert.equal(reply.return_code, 'FAIL');
        assert.match(reply.return_msg as string, /XML/);
        assert.equal(reply.sign, undefined);
    });

    it('accepts application/xml as well as text/xml', async () => {
        const reply = await simulator.http.post('/pay/unifiedorder', '<xml></xml>', { headers: { 'Content-Type': 'application/xml' }, responseType: 'text' });
        assert.equal(reply.status, 200);
        assert.match(reply.headers['content-type'] as string, /^text\/xml/);
        assert.match(reply.data as string, /缺少参数 appid/);
    });

    for (const field of ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type', 'openid']) {
        it(`names a missing ${field}`, async () => {
            const order = jsapiOrder();
            delete order[field];
            assert.deepEqual(await payCall(simulator, '/pay/unifiedorder', order), { return_code: 'FAIL', return_msg: `缺少参数 ${field}` });
        });
    }

    it('names a missing sign', async () => {
        const xml = buildWxXml({ appid: merchant.appId, mch_id: merchant.mchId, nonce_str: 'n', ...jsapiOrder() });
        assert.deepEqual(await postXml(simulator, '/pay/unifiedorder', xml), { return_code: 'FAIL', return_msg: '缺少参数 sign' });
    });

    it('refuses another merchant\'s appid or mch_id', async () => {
        for (const other of [{ appid: 'wx0000000000000000' }, { mch_id: '1900000109' }] as Array<Record<string, string>>) {
            const reply = await payCall(simulator, '/pay/unifiedorder', { ...jsapiOrder(), ...other });
            assert.deepEqual(reply, { return_code: 'FAIL', return_msg: 'appid和mch_id不匹配' });
        }
    });

    it('refuses a wrong signature with 签名错误, unsigned', async () => {
        const fields = { appid: merchant.appId, mch_id: merchant.mchId, nonce_str: 'n', ...jsapiOrder(), sign: '9A0A8659F005D6984697E2CA0A9CF3B7' };
        assert.deepEqual(await postXml(simulator, '/pay/unifiedorder', buildWxXml(fields)), { return_code: 'FAIL', return_msg: '签名错误' });
    });

    const malformed: Array<[string, Record<string, string>, RegExp]> = [
        ['an out_trade_no too short', { out_trade_no: 'abc12' }, /out_trade_no/],
        ['an out_trade_no with other characters', { out_trade_no: 'order#123456' }, /out_trade_no/],
        ['a total_fee of zero', { total_fee: '0' }, /total_fee/],
        ['a fractional total_fee', { total_fee: '19.99' }, /total_fee/],
        ['a nonce_str over 32 characters', { nonce_str: 'n'.repeat(33) }, /nonce_str/],
        ['a body over 127 bytes', { body: '商'.repeat(43) }, /body/],
        ['a time_expire in the past', { time_expire: beijingIn(-60_000) }, /time_expire/],
        ['a time_expire that is no date', { time_expire: '20260230120000' }, /time_expire/],
        ['a trade_type other than JSAPI', { trade_type: 'NATIVE' }, /trade_type/],
        ['a spbill_create_ip that is no IP', { spbill_create_ip: 'localhost' }, /spbill_create_ip/],
        ['a notify_url that is no http URL', { notify_url: 'ftp://example.com/notify' }, /notify_url/],
    ];
    for (const [what, change, field] of malformed) {
        it(`answers PARAM_ERROR, signed, for ${what}`, async () => {
            const reply = await payCall(simulator, '/pay/unifiedorder', jsapiOrder(change));
            assert.equal(reply.return_code, 'SUCCESS');
            assert.equal(reply.result_code, 'FAIL');
            assert.equal(reply.err_code, 'PARAM_ERROR');
            assert.match(reply.err_code_des as string, field);
            assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
        });
    }

    it('answers PARAM_ERROR for an unknown sign_type', async () => {
        const reply = await payCall(simulator, '/pay/unifiedorder', { ...jsapiOrder(), sign_type: 'RSA' });
        assert.equal(reply.err_code, 'PARAM_ERROR');
        assert.match(reply.err_code_des as string, /sign_type/);
    });

    it('accepts a body of exactly 127 bytes and a time_expire in the future', async () => {
        const { reply } = await placeOrder(simulator, { body: `${'商'.repeat(42)}x`, time_expire: beijingIn(30 * 60_000) });
        assert.equal(reply.result_code, 'SUCCESS');
    });

    it('gives a fresh prepay_id when an unpaid order is placed again unchanged', async () => {
        const out_trade_no = newOutTradeNo();
        const first = await placeOrder(simulator, { out_trade_no });
        const second = await placeOrder(simulator, { out_trade_no });
        assert.equal(second.reply.result_code, 'SUCCESS');
        assert.notEqual(second.prepayId, first.prepayId);
    });

    it('answers OUT_TRADE_NO_USED when the out_trade_no comes back with another amount or payer', async () => {
        const out_trade_no = newOutTradeNo();
        await placeOrder(simulator, { out_trade_no });
        for (const change of [{ total_fee: '2000' }, { openid: 'oSomeoneElse_000000000000000' }] as Array<Record<string, string>>) {
            const { reply } = await placeOrder(simulator, { out_trade_no, ...change });
            assert.equal(reply.result_code, 'FAIL');
            assert.equal(reply.err_code, 'OUT_TRADE_NO_USED');
            assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
        }
    });
});
