// WeChat Pay APIv3's named failures. None carries a key, a certificate's private half, the
// APIv3 key or a decrypted plaintext: each names what was wrong and where it came from.

/** The APIv3 key is not the 32 bytes WeChat issues (set in the merchant platform, API security). */
export class ApiV3KeyError extends Error {
    override readonly name = 'ApiV3KeyError';

    constructor(readonly byteLength: number) {
        super(`the APIv3 key must be exactly 32 bytes, not ${byteLength}`);
    }
}

/** An AEAD_AES_256_GCM resource that cannot be opened: wrong APIv3 key, tampered text, tag, nonce or associated data. */
export class ResourceDecryptError extends Error {
    override readonly name = 'ResourceDecryptError';

    constructor(readonly why: string) {
        super(`encrypted resource cannot be read: ${why}`);
    }
}

/** An RSA-OAEP sensitive field that does not decrypt with the private key given. */
export class SensitiveFieldDecryptError extends Error {
    override readonly name = 'SensitiveFieldDecryptError';

    constructor(readonly why: string) {
        super(`sensitive field cannot be decrypted: ${why}`);
    }
}

/** Where a merchant certificate or its key came from: the settings that hold them. */
export interface MerchantKeySources {
    readonly certificate: string;
    readonly key: string;
}

/**
 * The merchant API private key is not the key of the merchant certificate: every request would
 * be refused with SIGN_ERROR. Names both sources, e.g. "WX_PAY_CERT_PEM and WX_PAY_KEY_PEM do not match".
 */
export class MerchantKeyMismatchError extends Error {
    override readonly name = 'MerchantKeyMismatchError';

    constructor(readonly sources: MerchantKeySources) {
        super(sources.certificate === sources.key
            ? `${sources.certificate}: its private key is not the key of its certificate`
            : `${sources.certificate} and ${sources.key} do not match: the private key is not the certificate's`);
    }
}

/** A merchant certificate or key that cannot serve for APIv3 signing (unreadable, not RSA). */
export class MerchantCertificateUnusableError extends Error {
    override readonly name = 'MerchantCertificateUnusableError';

    constructor(readonly source: string, readonly problem: string) {
        super(`${source}: ${problem}`);
    }
}

/** A WeChat Pay public key or platform certificate that cannot be used to verify. */
export class VerificationKeyError extends Error {
    override readonly name = 'VerificationKeyError';

    constructor(readonly serial: string | undefined, readonly problem: string) {
        super(`WeChat Pay key${serial === undefined ? '' : ` ${serial}`} cannot be used: ${problem}`);
    }
}

/** Why a signed reply, notification or request was not accepted; each kind calls for a different reaction. */
export abstract class SignatureRefusal extends Error {}

/** A Wechatpay-* (or Authorization) field is missing, repeated or malformed. */
export class SignatureHeaderError extends SignatureRefusal {
    override readonly name = 'SignatureHeaderError';

    constructor(readonly header: string, readonly problem: string) {
        super(`${header} ${problem}`);
    }
}

/**
 * WeChat's signature probe (`Wechatpay-Signature: WECHATPAY/SIGNTEST/…`): WeChat checks that the
 * merchant refuses a notification it cannot verify. It must be answered non-2xx.
 */
export class SignatureProbeError extends SignatureRefusal {
    override readonly name = 'SignatureProbeError';

    constructor() {
        super('signature probe (WECHATPAY/SIGNTEST/): refused, as WeChat expects');
    }
}

/** The timestamp is 5 minutes or more away from this server's clock: a replay, or a clock to fix. */
export class StaleTimestampError extends SignatureRefusal {
    override readonly name = 'StaleTimestampError';

    constructor(readonly timestamp: number, readonly now: number) {
        super(`timestamp ${timestamp} is ${Math.abs(now - timestamp)} s from this server's clock (${now}); 5 minutes at most`);
    }
}

/** No key with this serial is known: refresh the platform certificates (bounded), then try again. */
export class UnknownSerialError extends SignatureRefusal {
    override readonly name = 'UnknownSerialError';

    constructor(readonly serial: string, readonly known: readonly string[]) {
        super(`no WeChat Pay key with serial ${serial} is known (known: ${known.length === 0 ? 'none' : known.join(', ')})`);
    }
}

/** The key named is known but was not in force at the time the message claims (a platform certificate's validity). */
export class KeyNotInForceError extends SignatureRefusal {
    override readonly name = 'KeyNotInForceError';

    constructor(readonly serial: string, readonly notBefore: Date | undefined, readonly notAfter: Date | undefined) {
        super(`WeChat Pay key ${serial} is not in force (valid ${notBefore?.toISOString() ?? '…'} to ${notAfter?.toISOString() ?? '…'})`);
    }
}

/** The signature does not verify with the key named: forged, or the body changed on the way. */
export class BadSignatureError extends SignatureRefusal {
    override readonly name = 'BadSignatureError';

    constructor(readonly serial: string) {
        super(`the signature does not verify with WeChat Pay key ${serial}`);
    }
}

/** A GET /v3/certificates download that gave nothing usable; the certificates already held stay. */
export class CertificateDownloadError extends Error {
    override readonly name = 'CertificateDownloadError';

    constructor(readonly why: string) {
        super(`platform certificate download failed: ${why}`);
    }
}
