import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
    BadSignatureError, KeyNotInForceError, SignatureHeaderError, SignatureProbeError, StaleTimestampError, UnknownSerialError, VerificationKeyError,
} from '../../../src/wechat/pay-v3/errors';
import { readSignedReply, signReply, verifyReply, type SigningKey } from '../../../src/wechat/pay-v3/reply-signature';
import { readKeyName } from '../../../src/wechat/pay-v3/serial';
import { SignatureVerifier } from '../../../src/wechat/pay-v3/verifier';
import { certificateEntry, combinedKeys, KeyRing, publicKeyEntry, type VerificationKey } from '../../../src/wechat/pay-v3/verification-keys';
import { makeV3Parties, type V3Parties } from '../../helpers/wechatpay-v3';

// A reply or notification from WeChat Pay is accepted only when the key its Wechatpay-Serial names
// verifies its signature over TIMESTAMP\nNONCE\nBODY\n (the raw body), within 5 minutes of our clock.
// Each refusal is its own error: the gateway refreshes certificates for an unknown serial only.

/** Now: the development certificates were just made, valid from a minute ago. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const BODY = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS","resource_type":"encrypt-resource","summary":"支付成功"}';

describe('SignatureVerifier, keyed by Wechatpay-Serial', () => {
    let parties: V3Parties;
    let publicKey: VerificationKey;
    let certificate: VerificationKey;
    before(() => {
        parties = makeV3Parties();
        publicKey = publicKeyEntry(parties.wechatPublicKey.serial, parties.wechatPublicKey.pem);
        certificate = certificateEntry(parties.platform.cert);
    });
    after(() => parties.remove());

    const verifierOf = (keys: VerificationKey[], now = NOW) => new SignatureVerifier(new KeyRing(keys), { now: () => now });
    const signedAt = (at: number, key: SigningKey = parties.platform, body: string | Buffer = BODY) => signReply(body, key, { now: () => at });

    it('verifies a reply signed with the WeChat Pay public key, named PUB_KEY_ID_… (never read as hex)', () => {
        assert.deepEqual(readKeyName(parties.wechatPublicKey.serial), { kind: 'public-key', serial: parties.wechatPublicKey.serial });
        const headers = signedAt(NOW, parties.wechatPublicKey);
        assert.equal(verifyReply(verifierOf([publicKey]), headers, BODY), publicKey);
    });

    it('verifies a reply signed with a platform certificate, its 40-hex serial given in lower case', () => {
        const headers = { ...signedAt(NOW), 'Wechatpay-Serial': parties.platform.serial.toLowerCase() };
        assert.match(headers['Wechatpay-Serial'], /^[0-9a-f]{40}$/);
        assert.equal(verifyReply(verifierOf([certificate]), headers, BODY), certificate);
    });

    it('reads the headers in whatever case the HTTP library gives them', () => {
        const lowerCase = Object.fromEntries(Object.entries(signedAt(NOW)).map(([name, value]) => [name.toLowerCase(), value]));
        assert.equal(verifyReply(verifierOf([certificate]), lowerCase, BODY), certificate);
    });

    it('reports a serial it holds no key for as unknown, naming it and the serials it knows', () => {
        const next = parties.nextPlatformCertificate();
        assert.throws(() => verifyReply(verifierOf([certificate, publicKey]), signedAt(NOW, next), BODY), (error: unknown) => {
            assert.ok(error instanceof UnknownSerialError);
            assert.equal(error.serial, next.serial);
            assert.deepEqual(error.known, [certificate.serial, publicKey.serial]);
            return true;
        });
        // A public key id nobody configured is unknown too, not malformed.
        const otherId = { ...parties.wechatPublicKey, serial: 'PUB_KEY_ID_0000000000000000000000000000000001' };
        assert.throws(() => verifyReply(verifierOf([publicKey]), signedAt(NOW, otherId), BODY), UnknownSerialError);
    });

    it('refuses a timestamp 5 minutes and 1 second old, or as far in the future, and accepts one 4:59 away', () => {
        const verifier = verifierOf([certificate]);
        for (const skew of [-301_000, 301_000, -300_000, 300_000]) {
            assert.throws(() => verifyReply(verifier, signedAt(NOW + skew), BODY), StaleTimestampError, String(skew));
        }
        for (const skew of [-299_000, 299_000]) {
            assert.equal(verifyReply(verifier, signedAt(NOW + skew), BODY), certificate);
        }
    });

    it('checks the window before the key, so a replayed message with a new serial causes no certificate download', () => {
        const next = parties.nextPlatformCertificate();
        assert.throws(() => verifyReply(verifierOf([certificate]), signedAt(NOW - 3_600_000, next), BODY), StaleTimestampError);
    });

    it('refuses the body with one byte changed, a signature from another key, and a signature that is not base64', () => {
        const headers = signedAt(NOW);
        const changed = Buffer.from(BODY, 'utf8');
        changed[10] ^= 0x20;
        assert.throws(() => verifyReply(verifierOf([certificate]), headers, changed), BadSignatureError);
        const forged = { ...signedAt(NOW, { serial: parties.platform.serial, privateKey: parties.wechatPublicKey.privateKey }) };
        assert.throws(() => verifyReply(verifierOf([certificate]), forged, BODY), BadSignatureError);
        assert.throws(() => verifyReply(verifierOf([certificate]), { ...headers, 'Wechatpay-Signature': `${headers['Wechatpay-Signature']}!` }, BODY), BadSignatureError);
    });

    it('verifies the body bytes as received: a body that is not valid UTF-8 is verified byte for byte', () => {
        const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
        const headers = signedAt(NOW, parties.platform, bytes);
        assert.equal(verifyReply(verifierOf([certificate]), headers, bytes), certificate);
        assert.throws(() => verifyReply(verifierOf([certificate]), headers, bytes.toString('utf8')), BadSignatureError);
    });

    it('refuses WeChat\'s signature probe with its own error, before looking at anything else', () => {
        const probe = { ...signedAt(NOW), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/UdTDzPf4ESHAzcj2jLpPzmmmSGgsa5TqAcpSH4A2a9sn9pMYTQ6lTnrhxglAQFPaWx4kP0PB2ZxS4M6ZUi6VJJSN5ZbzHu6ywLZSCA9iWBK5Pr0DALj5jshhnwN5G2LgT5v5CUJLcZWhy0ufbINKeZKmtCffLMj8HFh+YOCH4PbT0NfBRKNq92Bs0QH7r6pGpbFqNqNewnkn3Tm0JrggDujq48O1bLW3smQGAcHJyaybEhV5SPYLpsmYLsxIKR8Dt0Gvtv+kXd9MhlG2/Hw7G6R8PqtB9+aXFCMlIr2GIH5UJfKxFaKNn1yf3zdAsS2OhD6lvOzV7wP4WTLBCvPi/CfQ==' };
        assert.throws(() => verifyReply(verifierOf([certificate]), probe, BODY), SignatureProbeError);
        assert.throws(() => readSignedReply({ 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abc' }, BODY), SignatureProbeError);
    });

    it('names the header that is missing, repeated or malformed', () => {
        const headers = signedAt(NOW);
        const refused = (changed: Record<string, unknown>, header: string) => assert.throws(
            () => readSignedReply({ ...headers, ...changed } as never, BODY),
            (error: unknown) => error instanceof SignatureHeaderError && error.header === header,
        );
        refused({ 'Wechatpay-Nonce': undefined }, 'Wechatpay-Nonce');
        refused({ 'wechatpay-nonce': 'again' }, 'Wechatpay-Nonce');
        refused({ 'Wechatpay-Timestamp': ['1', '2'] }, 'Wechatpay-Timestamp');
        refused({ 'Wechatpay-Timestamp': '1796639400.5' }, 'Wechatpay-Timestamp');
        refused({ 'Wechatpay-Nonce': 'two\nlines' }, 'Wechatpay-Nonce');
        for (const serial of ['PUB_KEY_ID_', 'PUB_KEY_ID_12 34', 'not-hex', '0'.repeat(41), '']) {
            refused({ 'Wechatpay-Serial': serial }, 'Wechatpay-Serial');
        }
        refused({ 'Wechatpay-Signature': '' }, 'Wechatpay-Signature');
    });

    it('refuses a platform certificate outside its validity, however well it verifies', () => {
        const expired = { ...certificate, notAfter: new Date(NOW - 1000) };
        assert.throws(() => verifyReply(verifierOf([expired]), signedAt(NOW), BODY), KeyNotInForceError);
        const notYet = { ...certificate, notBefore: new Date(NOW + 1000) };
        assert.throws(() => verifyReply(verifierOf([notYet]), signedAt(NOW), BODY), KeyNotInForceError);
    });

    it('in the switch-over, accepts either key by its serial, and each only under its own serial', () => {
        const switchOver = new SignatureVerifier(combinedKeys(new KeyRing([certificate]), new KeyRing([publicKey])), { now: () => NOW });
        assert.equal(verifyReply(switchOver, signedAt(NOW, parties.platform), BODY), certificate);
        assert.equal(verifyReply(switchOver, signedAt(NOW, parties.wechatPublicKey), BODY), publicKey);
        // The public key's signature sent under the certificate's serial does not verify.
        const crossed = signedAt(NOW, { serial: parties.platform.serial, privateKey: parties.wechatPublicKey.privateKey });
        assert.throws(() => verifyReply(switchOver, crossed, BODY), BadSignatureError);
        // With the public key alone, a certificate serial is unknown (the caller may refresh certificates).
        assert.throws(() => verifyReply(verifierOf([publicKey]), signedAt(NOW), BODY), UnknownSerialError);
    });

    it('refuses keys it cannot use: an id that is not PUB_KEY_ID_…, a non-RSA key, a serial given twice', () => {
        assert.throws(() => publicKeyEntry(parties.platform.serial, parties.wechatPublicKey.pem), VerificationKeyError);
        assert.throws(() => publicKeyEntry(parties.wechatPublicKey.serial, 'not a key'), VerificationKeyError);
        const { publicKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        assert.throws(() => publicKeyEntry(parties.wechatPublicKey.serial, ecKey), /RSA key is expected/);
        assert.throws(() => new KeyRing([certificate, certificate]), /given twice/);
    });
});
