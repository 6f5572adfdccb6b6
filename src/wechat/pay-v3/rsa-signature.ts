import { constants, sign, verify, type KeyObject } from 'node:crypto';

import { decodeBase64 } from './base64';

// SHA256withRSA, PKCS#1 v1.5 padding, base64: the one signature of APIv3 (requests, replies,
// notifications, wx.requestPayment's paySign).

/** The message may be text (UTF-8) or the exact bytes received. */
export type SignedBytes = string | Buffer;

export function signSha256WithRsa(message: SignedBytes, privateKey: KeyObject): string {
    return sign('sha256', toBytes(message), { key: privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}

/** False for anything but a base64 signature of `message` by the key's pair; never throws for bad input. */
export function verifySha256WithRsa(message: SignedBytes, signatureBase64: string, publicKey: KeyObject): boolean {
    const signature = decodeBase64(signatureBase64);
    if (signature === undefined) {
        return false;
    }
    try {
        return verify('sha256', toBytes(message), { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    catch {
        return false;
    }
}

function toBytes(message: SignedBytes): Buffer {
    return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}
