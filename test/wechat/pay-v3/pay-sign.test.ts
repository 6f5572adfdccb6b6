import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { requestPaymentFor, verifyPaySign } from '../../../src/wechat/pay-v3/pay-sign';
import { makeV3Parties, type V3Parties } from '../../helpers/wechatpay-v3';

// wx.requestPayment under APIv3: signType 'RSA', paySign by the merchant's key over
// appId\ntimeStamp\nnonceStr\npackage\n; the simulator's cashier verifies it with the merchant certificate.
// (The official vectors P1/P2 pin the exact signature: vectors.test.ts.)

describe('v3 paySign', () => {
    let parties: V3Parties;
    before(() => {
        parties = makeV3Parties();
    });
    after(() => parties.remove());

    it('gives the mini-program seconds, a fresh 32-character nonce and package=prepay_id=…', () => {
        const params = requestPaymentFor('wxd678efh567hg6787', 'wx07183000123456', parties.merchant.privateKey, { now: () => Date.parse('2026-12-07T10:30:00.700Z') });
        assert.equal(params.timeStamp, '1796639400');
        assert.match(params.nonceStr, /^[0-9A-F]{32}$/);
        assert.equal(params.package, 'prepay_id=wx07183000123456');
        assert.equal(params.signType, 'RSA');
        assert.notEqual(requestPaymentFor('wxd678efh567hg6787', 'wx07183000123456', parties.merchant.privateKey).nonceStr, params.nonceStr);
    });

    it('is verified by the cashier with the merchant certificate, and refused when any field changed or the type is not RSA', () => {
        const params = requestPaymentFor('wxd678efh567hg6787', 'wx07183000123456', parties.merchant.privateKey);
        assert.equal(verifyPaySign(params, parties.merchantPublicKey), true);
        for (const changed of [{ appId: 'wx0000000000000000' }, { timeStamp: '1' }, { nonceStr: 'X' }, { package: 'prepay_id=wx0' }, { signType: 'MD5' }, { paySign: 'AAAA' }]) {
            assert.equal(verifyPaySign({ ...params, ...changed }, parties.merchantPublicKey), false, JSON.stringify(changed));
        }
        assert.equal(verifyPaySign(params, parties.platform.publicKey), false);
    });
});
