import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** WeChat Pay v2 signature algorithms. */
export const SIGN_TYPES = ['MD5', 'HMAC-SHA256'] as const;
export type SignType = (typeof SIGN_TYPES)[number];

/** A flat WeChat Pay message: every value is text, as it travels in the XML. */
export type WxParams = Readonly<Record<string, string | undefined>>;

export function isSignType(value: unknown): value is SignType {
    return SIGN_TYPES.includes(value as SignType);
}

/**
 * WeChat Pay v2's rule: the non-empty fields other than `sign`, sorted by ASCII name,
 * joined as `name=value` with `&`, then `&key=<API key>`; MD5 or HMAC-SHA256 (keyed with
 * the API key) over that, as upper-case hex.
 */
export function sign(params: WxParams, key: string, signType: SignType): string {
    const base = Object.keys(params)
        .filter((name) => name !== 'sign' && params[name] !== undefined && params[name] !== '')
        .sort()
        .map((name) => `${name}=${params[name]}`)
        .join('&') + `&key=${key}`;
    const digest = signType === 'HMAC-SHA256' ? createHmac('sha256', key) : createHash('md5');
    return digest.update(base, 'utf8').digest('hex').toUpperCase();
}

/** Constant-time comparison, so a forger learns nothing from how long a rejection took. */
export function sameSignature(expected: string, given: string | undefined): boolean {
    if (given === undefined) {
        return false;
    }
    const expectedBytes = Buffer.from(expected, 'utf8');
    const givenBytes = Buffer.from(given, 'utf8');
    return expectedBytes.length === givenBytes.length && timingSafeEqual(expectedBytes, givenBytes);
}

/**
 * Whether `params.sign` is the signature of every other field in `params`, including
 * fields this code does not know: WeChat adds fields, and they are signed too.
 */
export function verify(params: WxParams, key: string, signType: SignType): boolean {
    return sameSignature(sign(params, key, signType), params.sign);
}
