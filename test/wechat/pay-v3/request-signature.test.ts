import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { BadSignatureError, SignatureHeaderError, StaleTimestampError } from '../../../src/wechat/pay-v3/errors';
import {
    authorizationFor, formatAuthorization, parseAuthorization, pathAndQueryOf, readSignedRequest, requestSigningMessage,
} from '../../../src/wechat/pay-v3/request-signature';
import { SignatureVerifier } from '../../../src/wechat/pay-v3/verifier';
import { certificateEntry, KeyRing } from '../../../src/wechat/pay-v3/verification-keys';
import { makeV3Parties, type V3Parties } from '../../helpers/wechatpay-v3';

// Every APIv3 request carries Authorization: WECHATPAY2-SHA256-RSA2048 with the merchant's mchid, a
// fresh nonce, the time in seconds, the merchant certificate's serial and a signature over
// METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n. The simulator reads it back and verifies it.

describe('request signing', () => {
    let parties: V3Parties;
    let merchantKeys: KeyRing;
    before(() => {
        parties = makeV3Parties();
        merchantKeys = new KeyRing([certificateEntry(parties.merchantCertificate.cert)]);
    });
    after(() => parties.remove());

    const query = { method: 'GET', pathAndQuery: '/v3/pay/transactions/out-trade-no/T20261207?mchid=1900000109', body: '' };

    it('ends every line in \\n, an empty GET body too', () => {
        assert.equal(requestSigningMessage(query, '1796639400', 'N'), 'GET\n/v3/pay/transactions/out-trade-no/T20261207?mchid=1900000109\n1796639400\nN\n\n');
    });

    it('signs the path and query as the URL sends them, escapes included', () => {
        assert.equal(pathAndQueryOf('https://api.mch.weixin.qq.com/v3/bill/tradebill?bill_date=2026-12-06&bill_type=ALL'), '/v3/bill/tradebill?bill_date=2026-12-06&bill_type=ALL');
        assert.equal(pathAndQueryOf(new URL('http://127.0.0.1:4000/v3/x/商户?a=b c')), '/v3/x/%E5%95%86%E6%88%B7?a=b%20c');
    });

    it('writes the five fields, with a fresh 32-character upper-case nonce and whole seconds each time', () => {
        const now = Date.parse('2026-12-07T10:30:00.999Z');
        const first = parseAuthorization(authorizationFor(query, parties.merchant, { now: () => now }));
        const second = parseAuthorization(authorizationFor(query, parties.merchant, { now: () => now }));
        assert.equal(first.mchid, '1900000109');
        assert.equal(first.serial_no, parties.merchant.serialNo);
        assert.equal(first.timestamp, '1796639400');
        assert.match(first.nonce_str, /^[0-9A-F]{32}$/);
        assert.notEqual(first.nonce_str, second.nonce_str);
    });

    it('is verified by the simulator with the merchant certificate its serial_no names', () => {
        const body = JSON.stringify({ mchid: '1900000109', out_trade_no: 'T1', amount: { total: 1, currency: 'CNY' } });
        const request = { method: 'POST', pathAndQuery: '/v3/pay/transactions/jsapi', body };
        const { mchid, signed } = readSignedRequest(request, authorizationFor(request, parties.merchant));
        assert.equal(mchid, '1900000109');
        assert.equal(new SignatureVerifier(merchantKeys).verify(signed).serial, parties.merchant.serialNo);
    });

    it('does not verify for another path, query, method or body, nor after 5 minutes', () => {
        const request = { method: 'POST', pathAndQuery: '/v3/refund/domestic/refunds', body: '{"out_refund_no":"R1"}' };
        const authorization = authorizationFor(request, parties.merchant);
        const verifier = new SignatureVerifier(merchantKeys);
        for (const changed of [{ pathAndQuery: '/v3/refund/domestic/refunds?x=1' }, { method: 'PUT' }, { body: '{"out_refund_no":"R2"}' }]) {
            assert.throws(() => verifier.verify(readSignedRequest({ ...request, ...changed }, authorization).signed), BadSignatureError, JSON.stringify(changed));
        }
        const old = authorizationFor(request, parties.merchant, { now: () => Date.now() - 301_000 });
        assert.throws(() => verifier.verify(readSignedRequest(request, old).signed), StaleTimestampError);
    });

    it('reads the fields in any order, and refuses a header missing one, repeating one or adding one', () => {
        const fields = { mchid: '1900000109', nonce_str: 'N', signature: 'c2ln', timestamp: '1796639400', serial_no: 'ABCDEF' };
        const reordered = 'WECHATPAY2-SHA256-RSA2048 serial_no="ABCDEF",timestamp="1796639400", nonce_str="N",signature="c2ln",mchid="1900000109"';
        assert.deepEqual(parseAuthorization(reordered), fields);
        assert.deepEqual(parseAuthorization(formatAuthorization(fields)), fields);
        for (const header of [
            undefined,
            'Bearer x',
            formatAuthorization(fields).replace(',serial_no="ABCDEF"', ''),
            `${formatAuthorization(fields)},mchid="1"`,
            `${formatAuthorization(fields)},extra="1"`,
            formatAuthorization({ ...fields, nonce_str: '' }),
        ]) {
            assert.throws(() => parseAuthorization(header), SignatureHeaderError, String(header));
        }
        assert.throws(() => readSignedRequest(query, formatAuthorization({ ...fields, serial_no: 'PUB_KEY_ID_0001' })), /serial_no is not a certificate serial/);
    });
});
