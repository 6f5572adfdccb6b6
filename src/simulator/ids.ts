import { createHash, randomBytes, randomInt } from 'node:crypto';

import { toBeijingCompact } from '../wechat/time';

/**
 * A stable 28-character openid, shaped like WeChat's (`o` + 27 URL-safe characters), for the
 * user a login code names: the code's part before the first '.' (`alice.1` and `alice.2` are
 * both alice), so tests can log the same user in again with fresh single-use codes.
 */
export function openidFor(appId: string, code: string): string {
    const user = code.split('.')[0];
    return `o${createHash('sha256').update(`${appId}\n${user}`).digest('base64url').slice(0, 27)}`;
}

/** 16 random bytes, base64: the AES-128 key WeChat hands out as session_key. */
export function newSessionKey(): string {
    return randomBytes(16).toString('base64');
}

/** `wx` + Beijing yyyyMMddHHmmss + 20 hex digits: 36 characters, as WeChat's look. */
export function newPrepayId(now: Date): string {
    return `wx${toBeijingCompact(now)}${randomBytes(10).toString('hex')}`;
}

/** 28 digits starting 42000, with the Beijing date inside, as WeChat Pay's transaction ids. */
export function newTransactionId(now: Date): string {
    return `42000${digits(5)}${toBeijingCompact(now).slice(0, 8)}${digits(10)}`;
}

/** 29 digits starting 50, with the Beijing date inside, as WeChat Pay's refund ids. */
export function newRefundId(now: Date): string {
    return `50${digits(9)}${toBeijingCompact(now).slice(0, 8)}${digits(10)}`;
}

function digits(count: number): string {
    return Array.from({ length: count }, () => randomInt(10)).join('');
}
