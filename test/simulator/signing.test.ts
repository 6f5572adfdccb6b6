import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { buildWxXml } from '../../src/wechat/xml';
import { jsapiOrder, merchant, postXml, startSimulator, type RunningSimulator } from './harness';

// The simulator runs as WeChat's documented example merchant, so a request signed by hand,
// step by step as WeChat's documentation describes, must be accepted, and its replies must
// verify the same way.

/** WeChat's recipe written out: sort, join non-empty name=value with &, append &key=, digest, upper-case. */
function signByHand(fields: Record<string, string>, algorithm: 'MD5' | 'HMAC-SHA256'): string {
    const stringA = Object.keys(fields).sort().filter((name) => fields[name] !== '').map((name) => `${name}=${fields[name]}`).join('&');
    const stringSignTemp = `${stringA}&key=${merchant.apiKey}`;
    const digest = algorithm === 'MD5' ? createHash('md5') : createHmac('sha256', merchant.apiKey);
    return digest.update(stringSignTemp, 'utf8').digest('hex').toUpperCase();
}

describe('signing, as in WeChat\'s documentation', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    it('the hand-made recipe gives the documented example signature', () => {
        const example = { appid: merchant.appId, mch_id: merchant.mchId, device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
        assert.equal(signByHand(example, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
        assert.equal(signByHand(example, 'HMAC-SHA256'), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
    });

    it('accepts an order signed by hand, including a field it does not use (device_info)', async () => {
        const fields = { appid: merchant.appId, mch_id: merchant.mchId, device_info: '1000', nonce_str: 'ibuaiVcKdpRxkhJA', ...jsapiOrder({ body: 'test' }) };
        const reply = await postXml(simulator, '/pay/unifiedorder', buildWxXml({ ...fields, sign: signByHand(fields, 'MD5') }));
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
    });

    it('refuses the same request once the unused field is changed after signing', async () => {
        const fields = { appid: merchant.appId, mch_id: merchant.mchId, device_info: '1000', nonce_str: 'ibuaiVcKdpRxkhJA', ...jsapiOrder({ body: 'test' }) };
        const tampered = { ...fields, device_info: '1001', sign: signByHand(fields, 'MD5') };
        const reply = await postXml(simulator, '/pay/unifiedorder', buildWxXml(tampered));
        assert.deepEqual(reply, { return_code: 'FAIL', return_msg: '签名错误' });
    });
});
