import { randomBytes } from 'node:crypto';

/** A 32-character nonce from the operating system's CSPRNG (WeChat allows at most 32). */
export function nonceStr(): string {
    return randomBytes(16).toString('hex');
}
