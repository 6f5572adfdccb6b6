import { createSecretKey, type KeyObject } from 'node:crypto';

import jwt from 'jsonwebtoken';

import type { AppConfig } from '../config';

export interface TokenPayload {
    readonly userId: number;
}

/** Issues the API's HS256 tokens; the auth plugin verifies them with the same key. */
export class TokenService {
    /** A KeyObject, made once: verifying with a string secret cost ~50× more per request. */
    readonly key: KeyObject;

    constructor(private readonly jwtConfig: AppConfig['jwt']) {
        this.key = createSecretKey(Buffer.from(jwtConfig.secret, 'utf8'));
    }

    issue(userId: number): string {
        const payload: TokenPayload = { userId };
        return jwt.sign(payload, this.key, { algorithm: 'HS256', expiresIn: this.jwtConfig.expiresIn as jwt.SignOptions['expiresIn'] });
    }
}

/** Our payload: a user id. */
export function isTokenPayload(decoded: unknown): decoded is TokenPayload {
    const { userId } = (decoded ?? {}) as Partial<TokenPayload>;
    return typeof userId === 'number' && Number.isSafeInteger(userId) && userId > 0;
}

/** The expiry every token we issue carries: a token without `exp` would be valid forever. */
export function expires(decoded: object): boolean {
    const { exp } = decoded as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp);
}
