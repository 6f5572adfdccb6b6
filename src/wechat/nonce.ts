import { randomBytes } from 'node:crypto';

const NONCE_BYTES = 16;
/** Random bytes drawn at once for this many nonces: one randomBytes call per pay was a visible share of its CPU. */
const NONCES_PER_DRAW = 256;

let pool = Buffer.alloc(0);
let next = 0;

/** A 32-character nonce from the operating system's CSPRNG (WeChat allows at most 32); no bytes are ever used twice. */
export function nonceStr(): string {
    if (next + NONCE_BYTES > pool.length) {
        pool = randomBytes(NONCE_BYTES * NONCES_PER_DRAW);
        next = 0;
    }
    const nonce = pool.toString('hex', next, next + NONCE_BYTES);
    next += NONCE_BYTES;
    return nonce;
}
