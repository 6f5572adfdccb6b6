import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

import { VerificationKeyError } from './errors';
import { readKeyName, type KeyKind, type KeyName } from './serial';

// The keys WeChat Pay signs with, each filed under the serial that names it in Wechatpay-Serial.

export interface VerificationKey {
    readonly kind: KeyKind;
    /** The public key id as given, or the platform certificate's serial in upper-case hex. */
    readonly serial: string;
    readonly publicKey: KeyObject;
    /** A platform certificate's validity; a public key has none (WeChat withdraws it instead). */
    readonly notBefore?: Date;
    readonly notAfter?: Date;
}

/** Keys by serial; the one seam the verifier reads, so a live store (refreshed certificates) and fixed keys look alike. */
export interface KeyLookup {
    keyFor(name: KeyName): VerificationKey | undefined;
    keys(): readonly VerificationKey[];
}

/** The WeChat Pay public key (the pub_key.pem WeChat gives) with its id, `PUB_KEY_ID_…`. */
export function publicKeyEntry(id: string, pem: string | KeyObject): VerificationKey {
    const name = readKeyName(id);
    if (name?.kind !== 'public-key') {
        throw new VerificationKeyError(id, 'a WeChat Pay public key id starts PUB_KEY_ID_');
    }
    return Object.freeze({ kind: 'public-key', serial: name.serial, publicKey: rsaPublicKey(pem, name.serial) });
}

/** A platform certificate (PEM), filed under its own X.509 serial, with its validity; the simulator files the merchant's so too. */
export function certificateEntry(pem: string): VerificationKey {
    let certificate: X509Certificate;
    try {
        certificate = new X509Certificate(pem);
    }
    catch {
        throw new VerificationKeyError(undefined, 'not a PEM certificate');
    }
    const serial = certificate.serialNumber.toUpperCase();
    if (readKeyName(serial)?.kind !== 'certificate') {
        throw new VerificationKeyError(serial, 'the certificate serial is not a hex number of at most 20 octets');
    }
    return Object.freeze({
        kind: 'certificate',
        serial,
        publicKey: rsaPublicKey(certificate.publicKey, serial),
        notBefore: new Date(certificate.validFrom),
        notAfter: new Date(certificate.validTo),
    });
}

/** A fixed set of keys. */
export class KeyRing implements KeyLookup {
    private readonly bySerial: ReadonlyMap<string, VerificationKey>;

    constructor(keys: Iterable<VerificationKey>) {
        const bySerial = new Map<string, VerificationKey>();
        for (const key of keys) {
            if (bySerial.has(key.serial)) {
                throw new VerificationKeyError(key.serial, 'given twice');
            }
            bySerial.set(key.serial, key);
        }
        this.bySerial = bySerial;
    }

    keyFor(name: KeyName): VerificationKey | undefined {
        const key = this.bySerial.get(name.serial);
        return key?.kind === name.kind ? key : undefined;
    }

    keys(): readonly VerificationKey[] {
        return [...this.bySerial.values()];
    }
}

/**
 * The switch-over from platform certificates to the public key: for seven days or so WeChat signs
 * with either, notification by notification, and `Wechatpay-Serial` says which. Every source is
 * asked; a serial names one key at most, since ids and hex serials cannot be confused.
 */
export function combinedKeys(...sources: readonly KeyLookup[]): KeyLookup {
    return {
        keyFor: (name) => sources.map((source) => source.keyFor(name)).find((key) => key !== undefined),
        keys: () => sources.flatMap((source) => source.keys()),
    };
}

function rsaPublicKey(pem: string | KeyObject, serial: string): KeyObject {
    let key: KeyObject;
    try {
        key = typeof pem === 'string' ? createPublicKey(pem) : pem.type === 'public' ? pem : createPublicKey(pem);
    }
    catch {
        throw new VerificationKeyError(serial, 'not a PEM public key');
    }
    if (key.asymmetricKeyType !== 'rsa') {
        throw new VerificationKeyError(serial, `an RSA key is expected, not ${key.asymmetricKeyType ?? 'a secret key'}`);
    }
    return key;
}
