import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';

import { decodeBase64 } from './base64';
import { SensitiveFieldDecryptError } from './errors';

// Sensitive request fields (apply-abnormal-refund's bank account and name, …) are encrypted with
// WeChat Pay's public key or a platform certificate: RSA-OAEP with SHA-1 and MGF1-SHA-1, as
// WeChat documents, base64. The request then names that key in `Wechatpay-Serial`, so WeChat
// knows which private key to decrypt with.

export function encryptSensitiveField(plaintext: string, wechatPayKey: KeyObject): string {
    return publicEncrypt({ key: wechatPayKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(plaintext, 'utf8')).toString('base64');
}

/** The simulator's side, as WeChat reads such a field with its private key. */
export function decryptSensitiveField(ciphertextBase64: string, privateKey: KeyObject): string {
    const ciphertext = decodeBase64(ciphertextBase64);
    if (ciphertext === undefined) {
        throw new SensitiveFieldDecryptError('not base64');
    }
    try {
        return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ciphertext).toString('utf8');
    }
    catch {
        throw new SensitiveFieldDecryptError('RSA-OAEP (SHA-1) decryption failed: another key, or a changed ciphertext');
    }
}
