import assert from 'node:assert/strict';
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { AEAD_AES_256_GCM, ApiV3Key, decryptResource } from '../../../src/wechat/pay-v3/aead';
import { ApiV3KeyError, BadSignatureError, ResourceDecryptError, StaleTimestampError } from '../../../src/wechat/pay-v3/errors';
import { paySignMessage, requestPaymentFor, verifyPaySign } from '../../../src/wechat/pay-v3/pay-sign';
import { readCertificateList } from '../../../src/wechat/pay-v3/platform-certificates';
import { verifyReply } from '../../../src/wechat/pay-v3/reply-signature';
import { authorizationFor, readSignedRequest, requestSigningMessage } from '../../../src/wechat/pay-v3/request-signature';
import { signSha256WithRsa } from '../../../src/wechat/pay-v3/rsa-signature';
import { SignatureVerifier } from '../../../src/wechat/pay-v3/verifier';
import { KeyRing, publicKeyEntry } from '../../../src/wechat/pay-v3/verification-keys';

// WeChat's published APIv3 examples and the vectors of its own SDKs (test/fixtures/wechatpay-v3-vectors.json,
// a copy of the team's shared file; each value there was recomputed with Node/OpenSSL). Every VERIFIED and
// DERIVED vector is checked through this project's functions, not through raw crypto calls.
//
// Left out, as the file says: wechatpay-java's notification fixture (a fake cipher) and its parser's
// SIGNATURE (checked only by a fake verifier). The file's `fixtures_for_a_simulator` (wechatpay-java's and
// the axios plugin's fake "WeChat" keys) are not needed: the simulator makes its own development keys
// (ensureDevWechatPayV3Keys, tested in test/simulator/dev-certificates.test.ts).

interface Vector {
    readonly name: string;
    readonly status: string;
    readonly [field: string]: unknown;
}

const file = JSON.parse(readFileSync(join(__dirname, '../../fixtures/wechatpay-v3-vectors.json'), 'utf8')) as {
    keys: { official_test_merchant_private_key_pkcs8: string; official_test_merchant_public_key_spki: string };
    vectors: Vector[];
};
const vector = (id: string): Vector & Record<string, any> => {
    const found = file.vectors.find((candidate) => candidate.name.startsWith(`${id} `));
    assert.ok(found, id);
    assert.match(found.status, /^(VERIFIED|DERIVED)/);
    return found as Vector & Record<string, any>;
};

const merchantKey = createPrivateKey(file.keys.official_test_merchant_private_key_pkcs8);
const merchantPublicKey = createPublicKey(file.keys.official_test_merchant_public_key_spki);
/** 2019-04-02T12:34:20Z, the official examples' Wechatpay-Timestamp and timeStamp. */
const OFFICIAL_TIME_MS = 1554208460 * 1000;
const OFFICIAL_NONCE = '593BEC0C930BF1AFEB40B4A08C8FB242';

describe('official vectors: wx.requestPayment paySign (P1, P2)', () => {
    const p1 = vector('P1');
    const p2 = vector('P2');

    it('P1: the mini-program paySign over appId, timeStamp, nonceStr and package=prepay_id=…', () => {
        const params = requestPaymentFor('wx2421b1c4370ec43b', 'wx201410272009395522657a690389285100', merchantKey, { now: () => OFFICIAL_TIME_MS, nonce: OFFICIAL_NONCE });
        assert.equal(paySignMessage(params), p1.message);
        assert.deepEqual(params, {
            appId: 'wx2421b1c4370ec43b',
            timeStamp: '1554208460',
            nonceStr: OFFICIAL_NONCE,
            package: 'prepay_id=wx201410272009395522657a690389285100',
            signType: 'RSA',
            paySign: p1.expected,
        });
        assert.equal(verifyPaySign(params, merchantPublicKey), true);
    });

    it('P2: the APP form (bare prepay_id) signs differently, and is not what the mini-program gets', () => {
        assert.equal(signSha256WithRsa(p2.message, merchantKey), p2.expected);
        const params = requestPaymentFor('wx2421b1c4370ec43b', 'wx201410272009395522657a690389285100', merchantKey, { now: () => OFFICIAL_TIME_MS, nonce: OFFICIAL_NONCE });
        assert.notEqual(params.paySign, p2.expected);
        assert.equal(verifyPaySign({ ...params, paySign: p2.expected }, merchantPublicKey), false);
    });
});

describe('official vectors: request signatures (R1-R5)', () => {
    const signer = { mchId: '1900007291', serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', privateKey: merchantKey };
    const at = { now: () => OFFICIAL_TIME_MS, nonce: OFFICIAL_NONCE };
    const jsapiBody = (mchid: string) => JSON.stringify({
        appid: 'wxd678efh567hg6787',
        mchid,
        description: 'Image形象店-深圳腾大-QQ公仔',
        out_trade_no: '1217752501201407033233368018',
        notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
        amount: { total: 100, currency: 'CNY' },
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });

    it('R1: POST /v3/pay/transactions/jsapi, its message, signature and whole Authorization header', () => {
        const r1 = vector('R1');
        const request = { method: 'POST', pathAndQuery: '/v3/pay/transactions/jsapi', body: jsapiBody('1900007291') };
        assert.equal(requestSigningMessage(request, '1554208460', OFFICIAL_NONCE), r1.message);
        const authorization = authorizationFor(request, signer, at);
        assert.equal(authorization, r1.expected_authorization);
        assert.ok(authorization.includes(`signature="${r1.expected_signature}"`));

        // And as the simulator reads it: the merchant's key, named by serial_no, verifies it.
        const { mchid, signed } = readSignedRequest(request, authorization);
        assert.equal(mchid, '1900007291');
        const merchantKeys = new KeyRing([{ kind: 'certificate', serial: signer.serialNo, publicKey: merchantPublicKey }]);
        assert.equal(new SignatureVerifier(merchantKeys, { now: () => OFFICIAL_TIME_MS }).verify(signed).serial, signer.serialNo);
    });

    it('R2: the same with mch_id 1230000109', () => {
        const r2 = vector('R2');
        const request = { method: 'POST', pathAndQuery: '/v3/pay/transactions/jsapi', body: jsapiBody('1230000109') };
        assert.equal(requestSigningMessage(request, '1554208460', OFFICIAL_NONCE), r2.message);
        assert.ok(signSha256WithRsa(r2.message, merchantKey).startsWith(r2.expected_prefix));
        assert.ok(authorizationFor(request, { ...signer, mchId: '1230000109' }, at).includes(`signature="${r2.expected_prefix}`));
    });

    it('R3: a GET signs its query exactly as sent, and an empty body as an empty last line', () => {
        const r3 = vector('R3');
        const pathAndQuery = (r3.message as string).split('\n')[1] as string;
        const request = { method: 'GET', pathAndQuery, body: '' };
        assert.equal(requestSigningMessage(request, '1554208460', OFFICIAL_NONCE), r3.message);
        assert.ok((r3.message as string).endsWith(`${OFFICIAL_NONCE}\n\n`));
        assert.ok(authorizationFor(request, signer, at).includes(`signature="${r3.expected}"`));
    });

    for (const [id, pathAndQuery] of [['R4', '/v3/refund/domestic/refunds/123123123123'], ['R5', '/v3/certificates']] as const) {
        it(`${id}: GET ${pathAndQuery}`, () => {
            const derived = vector(id);
            const request = { method: 'GET', pathAndQuery, body: '' };
            assert.equal(requestSigningMessage(request, '1554208460', OFFICIAL_NONCE), derived.message);
            assert.ok(authorizationFor(request, signer, at).includes(`signature="${derived.computed}"`));
        });
    }
});

describe('official vectors: a real reply verified with a WeChat Pay public key (V1)', () => {
    const v1 = vector('V1');
    const id = 'PUB_KEY_ID_0114232282912024080500000000000000';
    const headers = {
        'wechatpay-timestamp': v1['Wechatpay-Timestamp'],
        'wechatpay-nonce': v1['Wechatpay-Nonce'],
        'wechatpay-signature': v1['Wechatpay-Signature'],
        'wechatpay-serial': id,
    };
    const signedAt = Number(v1['Wechatpay-Timestamp']) * 1000;
    const verifier = (now: number) => new SignatureVerifier(new KeyRing([publicKeyEntry(id, v1.public_key)]), { now: () => now });

    it('verifies over the raw body, as text or as bytes', () => {
        assert.equal(verifyReply(verifier(signedAt + 1000), headers, v1.body).serial, id);
        assert.equal(verifyReply(verifier(signedAt + 1000), headers, Buffer.from(v1.body, 'utf8')).serial, id);
    });

    it('refuses the body with one byte changed', () => {
        const body = Buffer.from(v1.body, 'utf8');
        body[body.length - 3] ^= 0x01;
        assert.throws(() => verifyReply(verifier(signedAt), headers, body), BadSignatureError);
        // Re-serialised JSON is another text: only the raw body verifies.
        assert.throws(() => verifyReply(verifier(signedAt), headers, JSON.stringify(JSON.parse(v1.body), null, 1)), BadSignatureError);
    });

    it('refuses it today: signed in 2024, far outside the 5-minute window', () => {
        assert.throws(() => verifyReply(verifier(Date.now()), headers, v1.body), StaleTimestampError);
    });
});

describe('official vectors: AEAD_AES_256_GCM (G1-G4)', () => {
    it('G1: wechatpay-java\'s platform certificate download decrypts to the certificate it lists', () => {
        const g1 = vector('G1');
        const body = JSON.stringify({
            data: [{
                serial_no: g1.expected.x509_serial,
                effective_time: '2023-09-19T23:15:58+08:00',
                expire_time: '2028-09-17T23:15:58+08:00',
                encrypt_certificate: { algorithm: AEAD_AES_256_GCM, nonce: g1.nonce, associated_data: g1.associated_data, ciphertext: g1.ciphertext_b64 },
            }],
        });
        const [certificate, ...others] = readCertificateList(body, ApiV3Key.from(g1.apiv3_key));
        assert.equal(others.length, 0);
        assert.ok(certificate);
        assert.ok(certificate.pem.startsWith(g1.expected.plaintext_starts_with));
        assert.equal(createHash('sha256').update(certificate.pem).digest('hex'), g1.expected.sha256_of_plaintext_pem);
        assert.equal(certificate.serial, g1.expected.x509_serial);
        assert.equal(certificate.notBefore?.toISOString(), new Date(g1.expected.not_before).toISOString());
        assert.equal(certificate.notAfter?.toISOString(), new Date(g1.expected.not_after).toISOString());
        assert.equal(certificate.effectiveTime.toISOString(), '2023-09-19T15:15:58.000Z');
        const subject = new X509Certificate(certificate.pem).subject.split('\n').sort();
        assert.deepEqual(subject, g1.expected.subject.split(', ').sort());
    });

    it('G2: a small resource, and the same with another associated_data or nonce refused', () => {
        const g2 = vector('G2');
        const key = ApiV3Key.from(g2.key);
        const resource = { algorithm: AEAD_AES_256_GCM, ciphertext: g2.ciphertext_b64, nonce: g2.nonce, associated_data: g2.associated_data };
        assert.equal(decryptResource(resource, key), g2.plaintext);
        assert.throws(() => decryptResource({ ...resource, associated_data: 'bad-associatedData' }, key), ResourceDecryptError);
        assert.throws(() => decryptResource({ ...resource, nonce: 'bad-4a9R25RW' }, key), ResourceDecryptError);
    });

    it('G3: a 16-byte key is AES-128-GCM, not an APIv3 key: refused before any decryption', () => {
        const g3 = vector('G3');
        // The vector is real (it opens with AES-128-GCM) ...
        const bytes = Buffer.from(g3.ciphertext_b64, 'base64');
        const decipher = createDecipheriv('aes-128-gcm', Buffer.from(g3.key), Buffer.from(g3.nonce)).setAAD(Buffer.from(g3.associated_data));
        decipher.setAuthTag(bytes.subarray(-16));
        assert.equal(Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString(), g3.plaintext);
        // ... and its key is no APIv3 key.
        assert.throws(() => ApiV3Key.from(g3.key), (error: unknown) => error instanceof ApiV3KeyError && error.byteLength === 16);
    });

    it('G4: a 16-byte IV (not WeChat\'s 12) and an empty plaintext with empty associated data', () => {
        const g4 = vector('G4');
        const key = ApiV3Key.from(g4.key);
        assert.equal(decryptResource({ algorithm: AEAD_AES_256_GCM, ciphertext: g4.ciphertext_b64, nonce: g4.iv, associated_data: g4.aad }, key), g4.plaintext);
        assert.equal(decryptResource({ algorithm: AEAD_AES_256_GCM, ciphertext: g4.also.ciphertext_b64, nonce: g4.iv, associated_data: g4.also.aad }, key), g4.also.plaintext);
    });
});
