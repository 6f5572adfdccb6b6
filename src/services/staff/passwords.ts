import { randomBytes } from 'node:crypto';

import { Algorithm, hash, verify } from '@node-rs/argon2';

import { COMMON_PASSWORDS } from './common-passwords';

/**
 * argon2id at 64 MiB, 3 passes, one lane: ~70 ms a hash or a check on this project's 2-core
 * machine (`npm run bench:argon2` prints it), within OWASP's choices (≥ 19 MiB, ≥ 2 passes). The
 * parameters travel in each hash's PHC string, so raising them later leaves old hashes usable.
 */
export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a hash that does not parse (never throws on either). */
export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
    try {
        return await verify(passwordHash, password);
    }
    catch {
        return false;
    }
}

/**
 * A hash of a random password no one knows, made once: a sign-in with an unknown name is checked
 * against it, so it costs what a wrong password costs and the answer's timing does not tell
 * which names exist.
 */
export function decoyHash(): Promise<string> {
    return hashPassword(randomBytes(32).toString('base64url'));
}

/** Why a password is refused, or undefined when it will do. */
export function weakPasswordReason(password: string, name?: string): string | undefined {
    if (password.length < MIN_PASSWORD_LENGTH) {
        return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
        return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
    }
    const folded = password.toLowerCase();
    if (COMMON_PASSWORDS.has(folded) || new Set(folded).size < 4) {
        return 'that password is one of the most common (or nearly one character repeated): choose another';
    }
    if (name !== undefined && folded.includes(name.toLowerCase())) {
        return 'a password must not contain the staff name';
    }
    return undefined;
}

/** A password an owner hands over once (a new member, a reset): 20 characters from 64, 120 bits. */
export function temporaryPassword(): string {
    return randomBytes(15).toString('base64url');
}
