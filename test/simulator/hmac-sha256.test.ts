import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { sign, verify } from '../../src/wechat/sign';
import { buildWxXml } from '../../src/wechat/xml';
import { jsapiOrder, merchant, payCall, placeOrder, postXml, startSimulator, type RunningSimulator } from './harness';

// With sign_type HMAC-SHA256 the request is verified, and the reply signed, with HMAC-SHA256.

describe('sign_type HMAC-SHA256', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    it('is accepted, and the reply is signed HMAC-SHA256 (not MD5)', async () => {
        const { reply } = await placeOrder(simulator, {}, 'HMAC-SHA256');
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(reply.sign?.length, 64);
        assert.equal(verify(reply, merchant.apiKey, 'HMAC-SHA256'), true);
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), false);
    });

    it('refuses an MD5 signature on a request that says HMAC-SHA256', async () => {
        const fields = { appid: merchant.appId, mch_id: merchant.mchId, nonce_str: 'n', sign_type: 'HMAC-SHA256', ...jsapiOrder() };
        const reply = await postXml(simulator, '/pay/unifiedorder', buildWxXml({ ...fields, sign: sign(fields, merchant.apiKey, 'MD5') }));
        assert.deepEqual(reply, { return_code: 'FAIL', return_msg: '签名错误' });
    });

    it('signs business errors the request\'s way too', async () => {
        const reply = await payCall(simulator, '/pay/orderquery', { out_trade_no: 'NoSuchOrder1', sign_type: 'HMAC-SHA256' }, 'HMAC-SHA256');
        assert.equal(reply.err_code, 'ORDERNOTEXIST');
        assert.equal(verify(reply, merchant.apiKey, 'HMAC-SHA256'), true);
    });
});
