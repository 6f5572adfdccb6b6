import type { KeyObject } from 'node:crypto';

import { nonceStr } from '../nonce';
import { unixSeconds } from '../time';
import { SignatureHeaderError, SignatureProbeError } from './errors';
import { signSha256WithRsa, type SignedBytes } from './rsa-signature';
import { readKeyName } from './serial';
import type { SignatureVerifier, SignedMessage } from './verifier';
import type { VerificationKey } from './verification-keys';

// How WeChat Pay signs what it sends: a reply to our request, or a notification. The message is
// `TIMESTAMP\nNONCE\nBODY\n` over the body's raw bytes as received (never re-serialised JSON), and
// four headers carry the rest.

export const WECHATPAY_TIMESTAMP = 'Wechatpay-Timestamp';
export const WECHATPAY_NONCE = 'Wechatpay-Nonce';
export const WECHATPAY_SIGNATURE = 'Wechatpay-Signature';
export const WECHATPAY_SERIAL = 'Wechatpay-Serial';

/** WeChat's signature probes start so; a merchant must refuse them (and so any signature it cannot verify). */
export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** Headers as hapi, node:http or axios give them: names in any case, a value or a list of values. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** Whole seconds since the epoch, as WeChat and merchants write them. */
export const WHOLE_SECONDS = /^\d{1,12}$/;
/** Nonces are short printable tokens; anything with a line break could forge the signed message's lines. */
const NONCE = /^[\x21-\x7e]{1,64}$/;

export function replySigningMessage(timestamp: string, nonce: string, body: SignedBytes): SignedBytes {
    const head = `${timestamp}\n${nonce}\n`;
    return typeof body === 'string' ? `${head}${body}\n` : Buffer.concat([Buffer.from(head, 'utf8'), body, Buffer.from('\n', 'utf8')]);
}

/**
 * A reply or notification as signed: the probe refused first (whatever else it carries), then
 * each header present once and well-formed.
 */
export function readSignedReply(headers: HeaderBag, body: SignedBytes): SignedMessage {
    const signature = header(headers, WECHATPAY_SIGNATURE);
    if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) {
        throw new SignatureProbeError();
    }
    const timestamp = header(headers, WECHATPAY_TIMESTAMP);
    if (!WHOLE_SECONDS.test(timestamp)) {
        throw new SignatureHeaderError(WECHATPAY_TIMESTAMP, 'is not whole seconds since the epoch');
    }
    const nonce = header(headers, WECHATPAY_NONCE);
    if (!NONCE.test(nonce)) {
        throw new SignatureHeaderError(WECHATPAY_NONCE, 'is not a nonce');
    }
    const key = readKeyName(header(headers, WECHATPAY_SERIAL));
    if (key === undefined) {
        throw new SignatureHeaderError(WECHATPAY_SERIAL, 'is neither a certificate serial (hex) nor a public key id (PUB_KEY_ID_…)');
    }
    return { key, timestamp: Number(timestamp), signature, message: replySigningMessage(timestamp, nonce, body) };
}

/** Reads and verifies in one step: the key that signed, or a SignatureRefusal. */
export function verifyReply(verifier: SignatureVerifier, headers: HeaderBag, body: SignedBytes): VerificationKey {
    return verifier.verify(readSignedReply(headers, body));
}

export interface SigningKey {
    /** The serial WeChat names the key by: a certificate's (hex) or the public key's id. */
    readonly serial: string;
    readonly privateKey: KeyObject;
}

export interface SignOptions {
    readonly now?: () => number;
    readonly nonce?: string;
}

/** The simulator's side: WeChat's four headers for `body`, signed with `key`. */
export function signReply(body: SignedBytes, key: SigningKey, options: SignOptions = {}): Record<string, string> {
    const timestamp = unixSeconds(new Date((options.now ?? Date.now)()));
    const nonce = options.nonce ?? nonceStr();
    return {
        [WECHATPAY_TIMESTAMP]: timestamp,
        [WECHATPAY_NONCE]: nonce,
        [WECHATPAY_SIGNATURE]: signSha256WithRsa(replySigningMessage(timestamp, nonce, body), key.privateKey),
        [WECHATPAY_SERIAL]: key.serial,
    };
}

function header(headers: HeaderBag, name: string): string {
    const wanted = name.toLowerCase();
    const values = Object.keys(headers)
        .filter((candidate) => candidate.toLowerCase() === wanted)
        .flatMap((candidate) => {
            const value = headers[candidate];
            return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
        });
    if (values.length === 0 || values[0] === '') {
        throw new SignatureHeaderError(name, 'is missing');
    }
    if (values.length > 1) {
        throw new SignatureHeaderError(name, 'is given more than once');
    }
    return values[0] as string;
}
