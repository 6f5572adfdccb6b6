import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { decryptRefundInfo, encryptRefundInfo, RefundInfoError } from '../../src/wechat/refund-crypto';

// A refund notification carries no sign: its req_info is AES-256-ECB (PKCS#7) under the
// lower-case hex MD5 of the API key, and only what decrypts to a flat <root> is believed.

// Published vector: wechatpy, tests/test_crypto.py, test_refund_notify_decrypt_message
// (github.com/wechatpy/wechatpy), with that test's API key; the expected fields are the
// four it asserts plus the rest of the decrypted document.
const WECHATPY_API_KEY = 'OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk';
const WECHATPY_REQ_INFO = '51A27s9LxbaEv52nBOrqa0FCs3HVIM31Wc3BpNqSCP5MQlS8HL1Vl7mZ21043B7PZy7adtOZGtZv44lGl0U8JXlVFL4Ltxsw6+pACjZBB0Qi1LUDjFlP2IyTxYX4eC57kxnCphDdIyRkU67kOWW/HN/efggTUlaPJkoL5kVe9Y1MZF55IHR4lwGI7WtVLtxATX1tkAVZF+/ri0WlPXo9+GkqeB2/id6Ozw09Tqp8C/TKbmKBpRhTCRU2TzfQoLa6fjbgETFHJ795aEMyUZPQYbbsz6U9Rj9lUzEh8+Oc8KYTXa9zVk+nnFr82+yjffb3d36ylTe0y/VmYf90rf9cbiJQdM00zZ8Qa99SlMTs2wjOO4Mi4Btlg1PebsLF8TkqbSZkRJDGs61UunUB8Km1b/VeBxXuv4D3H7DiVZ9Fj7lq2j07zFDpxxlhhen7kZvMWWO3lrfFpA9c4eFOqfF9SxcU9nBmHfDD1g/dsrMl6+a71xQHJ/gn80fZOefUBv92ggqutsuJ4gd4OqkmO0XUs8e4XQyLpra+LvpmahsU5lBIZuQcMq3FHrqe8hXTfp3+3qym2wGfvPI75jx41VZwmBQy9izB1Id+A5lUeXC5QJy+ryDu/dWkhB+aMjkElaI/Epmcc/IEPaI73W6Hc58hNednOM536rPnn+GDc98PdGszpLTjmaZSu8dtqwPaym66yRqFQowzFoBbooik57iHUFBCeWya7XcXYL9WKhRF3uIZM+Kfv9/Zs2pF+w9/EJpltuzPpT1GP2VTMSHz45zwphFlS2lX8wHyZ+k9n2dptzQqpOCPedt5iQAmAe1oNQMxNdPDH9g68x9UzWD1kfK/dPO+3NPAh0XG+io4x15fIknNf7JLjpAuWicMMzCdwC4hhqeYOzQ+pC9f2xJXi5YViNKIZY69oO8eoHYRitLZrHLgx3oB2zimmqX6BI+DMklKAzAqqgGmbFxcVTvxZB6cMCx+H7TTWXnjAG+6A3SrCcxg0l5+UB93pkAYR7SVJ+VaZoiBqlqnZvb7IM17n9XaaFntlzvbbFCIa7OnOQb5Lvw=';

const API_KEY = '192006250b4c09247ec02edce69f6a2d';

/** AES-256-ECB under the notification key, with padding as given (auto PKCS#7 unless false). */
function encryptRaw(plaintext: Buffer, apiKey: string, autoPadding = true): string {
    const key = Buffer.from(createHash('md5').update(apiKey).digest('hex'), 'ascii');
    const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(autoPadding);
    return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

describe('decryptRefundInfo', () => {
    it('decrypts wechatpy\'s published refund notification to its fields', async () => {
        assert.deepEqual(await decryptRefundInfo(WECHATPY_REQ_INFO, WECHATPY_API_KEY), {
            out_refund_no: '1234',
            out_trade_no: '2020010418301551404339261814',
            refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
            refund_fee: '1',
            refund_id: '50300103182020010413419046597',
            refund_recv_accout: '招商银行信用卡8915',
            refund_request_source: 'API',
            refund_status: 'SUCCESS',
            settlement_refund_fee: '1',
            settlement_total_fee: '1',
            success_time: '2020-01-04 18:34:24',
            total_fee: '1',
            transaction_id: '4200000483202001042069747825',
        });
    });

    it('reads what encryptRefundInfo wrote, Chinese text and CDATA terminators included', async () => {
        const fields = { out_refund_no: 'R1', refund_fee: '50', refund_recv_accout: '支付用户零钱', refund_request_source: 'VENDOR_PLATFORM', odd: 'a]]>b' };
        assert.deepEqual(await decryptRefundInfo(encryptRefundInfo(fields, API_KEY), API_KEY), fields);
    });

    it('accepts the base64 broken over lines', async () => {
        const wrapped = WECHATPY_REQ_INFO.replace(/(.{76})/g, '$1\r\n');
        assert.equal((await decryptRefundInfo(wrapped, WECHATPY_API_KEY)).out_refund_no, '1234');
    });
});

describe('decryptRefundInfo refuses, with a RefundInfoError that names the problem', () => {
    const refusals: Array<[string, () => string, string, RegExp]> = [
        ['text that is not base64', () => 'not base64!', API_KEY, /not base64/],
        ['base64 that is not whole AES blocks', () => Buffer.from('short').toString('base64'), API_KEY, /AES blocks/],
        ['the empty string', () => '', API_KEY, /not base64/],
        ['another merchant\'s key', () => WECHATPY_REQ_INFO, API_KEY, /does not decrypt/],
        ['a block whose padding is not PKCS#7', () => encryptRaw(Buffer.alloc(32, 0x41), API_KEY, false), API_KEY, /does not decrypt/],
        ['a plaintext that is not XML', () => encryptRaw(Buffer.from('refund_fee=1'), API_KEY), API_KEY, /not a flat <root>/],
        ['an <xml> root instead of <root>', () => encryptRaw(Buffer.from('<xml><refund_fee>1</refund_fee></xml>'), API_KEY), API_KEY, /one <root> element/],
        ['a nested element', () => encryptRaw(Buffer.from('<root><a><b>1</b></a></root>'), API_KEY), API_KEY, /fields must not nest/],
        ['a DOCTYPE', () => encryptRaw(Buffer.from('<!DOCTYPE root [<!ENTITY e "x">]><root><a>&e;</a></root>'), API_KEY), API_KEY, /DOCTYPE/],
        ['bytes that are not UTF-8', () => encryptRaw(Buffer.from([0x3c, 0x72, 0x6f, 0x6f, 0x74, 0x3e, 0xff, 0x3c, 0x2f]), API_KEY), API_KEY, /UTF-8/],
    ];
    for (const [what, reqInfo, key, message] of refusals) {
        it(what, async () => {
            await assert.rejects(decryptRefundInfo(reqInfo(), key), (error: unknown) => {
                assert.ok(error instanceof RefundInfoError);
                assert.match(error.message, message);
                assert.doesNotMatch(error.message, new RegExp(key));
                return true;
            });
        });
    }
});
