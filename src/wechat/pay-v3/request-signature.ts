import type { KeyObject } from 'node:crypto';

import { nonceStr } from '../nonce';
import { unixSeconds } from '../time';
import { SignatureHeaderError } from './errors';
import { signSha256WithRsa } from './rsa-signature';
import { readKeyName } from './serial';
import { WHOLE_SECONDS, type SignOptions } from './reply-signature';
import type { SignedMessage } from './verifier';

// How a merchant signs an APIv3 request: SHA256withRSA with the merchant API private key over
// `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` (every line ends in \n, an empty GET body too),
// sent as `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",…`.

export const AUTHORIZATION_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export interface MerchantRequest {
    /** Upper-case, as sent. */
    readonly method: string;
    /** The URL's path and query exactly as sent (`/v3/pay/transactions/out-trade-no/1?mchid=1`). */
    readonly pathAndQuery: string;
    /** The body exactly as sent; '' for a GET. */
    readonly body: string;
}

/** Who signs: the mch_id, and the merchant certificate's serial and private key. */
export interface RequestSigner {
    readonly mchId: string;
    readonly serialNo: string;
    readonly privateKey: KeyObject;
}

export interface AuthorizationFields {
    readonly mchid: string;
    readonly nonce_str: string;
    readonly signature: string;
    readonly timestamp: string;
    readonly serial_no: string;
}

const FIELDS = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
const FIELD = /^([a-z_]+)="([^"]*)"$/;

export function requestSigningMessage(request: MerchantRequest, timestamp: string, nonce: string): string {
    return `${request.method}\n${request.pathAndQuery}\n${timestamp}\n${nonce}\n${request.body}\n`;
}

/** The path and query of a URL as an HTTP client sends them: what the signature covers. */
export function pathAndQueryOf(url: string | URL): string {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.pathname}${parsed.search}`;
}

/** The Authorization header for `request`, with a fresh 32-character upper-case nonce and the time in seconds. */
export function authorizationFor(request: MerchantRequest, signer: RequestSigner, options: SignOptions = {}): string {
    const timestamp = unixSeconds(new Date((options.now ?? Date.now)()));
    const nonce = options.nonce ?? nonceStr().toUpperCase();
    return formatAuthorization({
        mchid: signer.mchId,
        nonce_str: nonce,
        signature: signSha256WithRsa(requestSigningMessage(request, timestamp, nonce), signer.privateKey),
        timestamp,
        serial_no: signer.serialNo,
    });
}

export function formatAuthorization(fields: AuthorizationFields): string {
    return `${AUTHORIZATION_SCHEME} ${FIELDS.map((name) => `${name}="${fields[name]}"`).join(',')}`;
}

/** The fields of an Authorization header, in any order (SDKs differ), each exactly once. */
export function parseAuthorization(header: string | undefined): AuthorizationFields {
    if (header === undefined || !header.startsWith(`${AUTHORIZATION_SCHEME} `)) {
        throw new SignatureHeaderError('Authorization', `does not start ${AUTHORIZATION_SCHEME}`);
    }
    const fields = new Map<string, string>();
    for (const item of header.slice(AUTHORIZATION_SCHEME.length + 1).split(',')) {
        const match = FIELD.exec(item.trim());
        if (!match || !(FIELDS as readonly string[]).includes(match[1] as string) || fields.has(match[1] as string)) {
            throw new SignatureHeaderError('Authorization', `has an unknown, repeated or malformed field (${item.trim().slice(0, 40)})`);
        }
        fields.set(match[1] as string, match[2] as string);
    }
    const missing = FIELDS.filter((name) => !fields.get(name));
    if (missing.length > 0) {
        throw new SignatureHeaderError('Authorization', `lacks ${missing.join(', ')}`);
    }
    return Object.fromEntries(fields) as unknown as AuthorizationFields;
}

/** The simulator's side: a merchant's request as signed, for a SignatureVerifier holding the merchant certificate. */
export function readSignedRequest(request: MerchantRequest, authorization: string | undefined): { readonly mchid: string; readonly signed: SignedMessage } {
    const fields = parseAuthorization(authorization);
    if (!WHOLE_SECONDS.test(fields.timestamp)) {
        throw new SignatureHeaderError('Authorization', 'timestamp is not whole seconds since the epoch');
    }
    const key = readKeyName(fields.serial_no);
    if (key?.kind !== 'certificate') {
        throw new SignatureHeaderError('Authorization', 'serial_no is not a certificate serial');
    }
    return {
        mchid: fields.mchid,
        signed: { key, timestamp: Number(fields.timestamp), signature: fields.signature, message: requestSigningMessage(request, fields.timestamp, fields.nonce_str) },
    };
}
