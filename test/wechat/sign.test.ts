import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isSignType, sameSignature, sign, verify } from '../../src/wechat/sign';

// WeChat Pay v2's signature rule, pinned to the vectors in WeChat's own documentation.

const OFFICIAL = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const OFFICIAL_KEY = '192006250b4c09247ec02edce69f6a2d';

describe('sign', () => {
    it('gives the MD5 of the documented example', () => {
        assert.equal(sign(OFFICIAL, OFFICIAL_KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
    });

    it('gives the HMAC-SHA256 of the documented example', () => {
        assert.equal(sign(OFFICIAL, OFFICIAL_KEY, 'HMAC-SHA256'), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
    });

    it('gives the paySign of the documented wx.requestPayment example', () => {
        const params = {
            appId: 'wxd678efh567hg6787',
            timeStamp: '1490840662',
            nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
            package: 'prepay_id=wx2017033010242291fcfe0db70013231072',
            signType: 'MD5',
        };
        assert.equal(sign(params, 'qazwsxedcrfvtgbyhnujmikolp111111', 'MD5'), '22D9B4E54AB1950F51E0649E8810ACD6');
    });

    it('skips empty values, undefined values and sign itself', () => {
        const withExtras = { ...OFFICIAL, attach: '', detail: undefined, sign: 'ANYTHING' };
        assert.equal(sign(withExtras, OFFICIAL_KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
    });

    it('covers fields it does not know', () => {
        assert.notEqual(sign({ ...OFFICIAL, brand_new_field: 'x' }, OFFICIAL_KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
    });
});

describe('verify', () => {
    const signed = { ...OFFICIAL, sign: '9A0A8659F005D6984697E2CA0A9CF3B7' };

    it('accepts the documented example', () => {
        assert.equal(verify(signed, OFFICIAL_KEY, 'MD5'), true);
    });

    it('rejects a changed field, an added field, a wrong key and a missing sign', () => {
        assert.equal(verify({ ...signed, body: 'test2' }, OFFICIAL_KEY, 'MD5'), false);
        assert.equal(verify({ ...signed, extra: '1' }, OFFICIAL_KEY, 'MD5'), false);
        assert.equal(verify(signed, 'another-key', 'MD5'), false);
        assert.equal(verify(OFFICIAL, OFFICIAL_KEY, 'MD5'), false);
    });

    it('rejects an MD5 sign checked as HMAC-SHA256', () => {
        assert.equal(verify(signed, OFFICIAL_KEY, 'HMAC-SHA256'), false);
    });
});

describe('sameSignature and isSignType', () => {
    it('compares exactly', () => {
        assert.equal(sameSignature('ABC', 'ABC'), true);
        assert.equal(sameSignature('ABC', 'abc'), false);
        assert.equal(sameSignature('ABC', 'ABCD'), false);
        assert.equal(sameSignature('ABC', undefined), false);
    });

    it('knows the two v2 sign types only', () => {
        assert.equal(isSignType('MD5'), true);
        assert.equal(isSignType('HMAC-SHA256'), true);
        assert.equal(isSignType('md5'), false);
        assert.equal(isSignType('RSA'), false);
        assert.equal(isSignType(undefined), false);
    });
});
