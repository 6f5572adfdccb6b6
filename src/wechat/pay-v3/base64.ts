/**
 * Strict base64: Buffer.from(…, 'base64') silently skips what is not base64, so a signature or
 * ciphertext with junk in it would otherwise be read as if the junk were not there.
 */
export function decodeBase64(text: string): Buffer | undefined {
    return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : undefined;
}
