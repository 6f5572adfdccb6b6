import { randomBytes } from 'node:crypto';

import type { Clock } from './clock';

/** WeChat's access token life, in (simulated) seconds. */
export const ACCESS_TOKEN_SECONDS = 7200;

interface IssuedToken {
    readonly token: string;
    /** Real ms after which WeChat answers 42001 (expired) to it. */
    expiresAt: number;
}

export type TokenCheck = 'valid' | 'expired' | 'invalid';

/**
 * The mini-program's access tokens as stable_token hands them out: while the current one
 * lives, every caller gets that same one (so N instances never invalidate each other's);
 * force_refresh issues a new one and retires the old at once.
 */
export class AccessTokens {
    private current: IssuedToken | undefined;
    private readonly retired = new Set<string>();
    /** How many distinct tokens were issued, for tests that count fetches. */
    issuedCount = 0;
    /** How many calls were refused for a bad or expired token. */
    refusedCount = 0;

    constructor(private readonly clock: Clock) {}

    issue(forceRefresh: boolean): { token: string; expiresInSeconds: number } {
        const now = Date.now();
        if (forceRefresh || this.current === undefined || this.current.expiresAt <= now) {
            if (this.current !== undefined) {
                this.retired.add(this.current.token);
            }
            this.current = { token: randomBytes(24).toString('base64url'), expiresAt: now + this.clock.realMs(ACCESS_TOKEN_SECONDS) };
            this.issuedCount += 1;
        }
        return { token: this.current.token, expiresInSeconds: Math.max(1, Math.round((this.current.expiresAt - now) / this.clock.realMs(1))) };
    }

    check(token: string | undefined): TokenCheck {
        const result: TokenCheck = token !== undefined && token === this.current?.token
            ? (this.current.expiresAt > Date.now() ? 'valid' : 'expired')
            : token !== undefined && this.retired.has(token) ? 'expired' : 'invalid';
        if (result !== 'valid') {
            this.refusedCount += 1;
        }
        return result;
    }

    /** As if its 2 hours had passed: the current token is refused from now on. */
    expireCurrent(): void {
        if (this.current !== undefined) {
            this.current.expiresAt = Date.now();
        }
    }
}
