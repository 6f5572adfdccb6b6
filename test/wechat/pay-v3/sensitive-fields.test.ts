import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, it } from 'node:test';

import { SensitiveFieldDecryptError } from '../../../src/wechat/pay-v3/errors';
import { decryptSensitiveField, encryptSensitiveField } from '../../../src/wechat/pay-v3/sensitive-fields';

// Sensitive fields (apply-abnormal-refund's bank account and name) go to WeChat encrypted with its
// public key or platform certificate: RSA-OAEP with SHA-1, as WeChat documents; the simulator
// reads them with WeChat's private key.

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('RSA-OAEP sensitive fields', () => {
    it('round-trips Chinese text, each encryption differently', () => {
        const first = encryptSensitiveField('张三', publicKey);
        assert.notEqual(encryptSensitiveField('张三', publicKey), first);
        assert.equal(decryptSensitiveField(first, privateKey), '张三');
    });

    it('is OAEP with SHA-1, not SHA-256 or PKCS#1 v1.5', () => {
        const ciphertext = Buffer.from(encryptSensitiveField('6214830000000000', publicKey), 'base64');
        assert.equal(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext).toString(), '6214830000000000');
        assert.throws(() => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ciphertext));
    });

    it('refuses another key, a changed ciphertext and text that is not base64, with a named error', () => {
        const ciphertext = encryptSensitiveField('6214830000000000', publicKey);
        assert.throws(() => decryptSensitiveField(ciphertext, other.privateKey), SensitiveFieldDecryptError);
        const changed = Buffer.from(ciphertext, 'base64');
        changed[5] ^= 0x01;
        assert.throws(() => decryptSensitiveField(changed.toString('base64'), privateKey), SensitiveFieldDecryptError);
        assert.throws(() => decryptSensitiveField('not base64!', privateKey), /not base64/);
    });
});
