import { createHash } from 'node:crypto';

/** What an unauthenticated delivery keeps of its body: enough to see what it was, never the whole. */
const UNVERIFIED_PREFIX_BYTES = 256;

/**
 * What a notification record (payment or refund) keeps of the body WeChat, or anyone, posted:
 * all of it once authentic, else a bounded prefix; always its length and hash.
 */
export function deliveryBody(raw: Buffer, authentic: boolean): { body: Buffer; bodyBytes: number; bodySha256: string } {
    return {
        body: authentic ? raw : raw.subarray(0, UNVERIFIED_PREFIX_BYTES),
        bodyBytes: raw.length,
        bodySha256: createHash('sha256').update(raw).digest('hex'),
    };
}
