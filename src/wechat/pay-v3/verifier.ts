import { BadSignatureError, KeyNotInForceError, StaleTimestampError, UnknownSerialError } from './errors';
import { verifySha256WithRsa, type SignedBytes } from './rsa-signature';
import type { KeyName } from './serial';
import type { KeyLookup, VerificationKey } from './verification-keys';

/** A message and its signature as read off the wire (a reply's Wechatpay-* headers, a request's Authorization). */
export interface SignedMessage {
    /** The key the signer says it used. */
    readonly key: KeyName;
    /** Whole seconds since the epoch, as the signer wrote them. */
    readonly timestamp: number;
    readonly signature: string;
    /** Exactly what was signed: for a reply, built over the raw body as received. */
    readonly message: SignedBytes;
}

/** WeChat's window: a message whose timestamp is 5 minutes or more from our clock is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface VerifierOptions {
    /** Milliseconds since the epoch; injected by tests and by vectors signed long ago. */
    readonly now?: () => number;
}

/**
 * The verifier keyed by serial: it verifies with the one key the message names, among any number
 * held (the public key, platform certificates old and new). Each refusal is its own error, since
 * each calls for its own reaction: an unknown serial for a (bounded) certificate refresh, a stale
 * timestamp for a clock check, a bad signature for nothing at all.
 */
export class SignatureVerifier {
    private readonly now: () => number;

    constructor(private readonly keys: KeyLookup, options: VerifierOptions = {}) {
        this.now = options.now ?? Date.now;
    }

    /** The key that verified the message; throws a SignatureRefusal otherwise. */
    verify(signed: SignedMessage): VerificationKey {
        const now = this.now();
        // Checked before the key is looked up, so a replayed message cannot make us download certificates.
        if (!(Math.abs(now - signed.timestamp * 1000) < MAX_CLOCK_SKEW_MS)) {
            throw new StaleTimestampError(signed.timestamp, Math.floor(now / 1000));
        }
        const key = this.keys.keyFor(signed.key);
        if (key === undefined) {
            throw new UnknownSerialError(signed.key.serial, this.keys.keys().map((known) => known.serial));
        }
        if ((key.notBefore !== undefined && now < key.notBefore.getTime()) || (key.notAfter !== undefined && now > key.notAfter.getTime())) {
            throw new KeyNotInForceError(key.serial, key.notBefore, key.notAfter);
        }
        if (!verifySha256WithRsa(signed.message, signed.signature, key.publicKey)) {
            throw new BadSignatureError(key.serial);
        }
        return key;
    }
}
