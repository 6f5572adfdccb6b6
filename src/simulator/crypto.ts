import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * What wx.getUserInfo's encryptedData is: AES-128-CBC with PKCS#7 padding (Node's default),
 * keyed with the base64-decoded session_key, under a fresh random iv; both base64.
 */
export function encryptForSession(sessionKey: string, plaintext: string): { encryptedData: string; iv: string } {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { encryptedData: encrypted.toString('base64'), iv: iv.toString('base64') };
}

/** wx.getUserInfo's `signature`: sha1(rawData + session_key), hex. */
export function rawDataSignature(rawData: string, sessionKey: string): string {
    return createHash('sha1').update(rawData + sessionKey, 'utf8').digest('hex');
}
