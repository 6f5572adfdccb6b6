import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

import { buildWxXml, parseWxXml, WxXmlError } from './xml';

/** Why a refund notification's req_info could not be read; never carries the key or the plaintext. */
export class RefundInfoError extends Error {
    override readonly name = 'RefundInfoError';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const AES_BLOCK_BYTES = 16;

/**
 * Reads a refund notification's `req_info`: base64 of AES-256-ECB with PKCS#7 padding, keyed
 * with the lower-case hex MD5 of the API key taken as 32 ASCII bytes; inside, a flat `<root>`
 * document, parsed with the same refusals as any WeChat XML.
 */
export async function decryptRefundInfo(reqInfoBase64: string, apiKey: string): Promise<Record<string, string>> {
    const compact = reqInfoBase64.replace(/\s+/g, '');
    // Buffer.from(…, 'base64') silently skips what is not base64; a forged body must not get that far.
    if (!BASE64.test(compact) || compact.length % 4 !== 0) {
        throw new RefundInfoError('req_info is not base64');
    }
    const ciphertext = Buffer.from(compact, 'base64');
    if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) {
        throw new RefundInfoError('req_info is not a whole number of AES blocks');
    }

    let plaintext: Buffer;
    try {
        const decipher = createDecipheriv('aes-256-ecb', refundInfoKey(apiKey), null);
        plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
    catch {
        // OpenSSL reports only "bad decrypt": a wrong key and a damaged ciphertext look alike.
        throw new RefundInfoError('req_info does not decrypt with this API key (wrong key or padding)');
    }

    try {
        return await parseWxXml(plaintext, 'root');
    }
    catch (error) {
        throw new RefundInfoError(`req_info is not a flat <root> document: ${error instanceof WxXmlError ? error.message : 'unreadable'}`);
    }
}

/** The simulator's side: `fields` as WeChat encrypts them into req_info. */
export function encryptRefundInfo(fields: Readonly<Record<string, string | undefined>>, apiKey: string): string {
    const cipher = createCipheriv('aes-256-ecb', refundInfoKey(apiKey), null);
    return Buffer.concat([cipher.update(buildWxXml(fields, 'root'), 'utf8'), cipher.final()]).toString('base64');
}

function refundInfoKey(apiKey: string): Buffer {
    return Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex'), 'ascii');
}
