import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

import forge from 'node-forge';

/** The merchant's client certificate for /secapi calls, as PEM for an https.Agent's `cert` and `key`. */
export interface MerchantCertificate {
    readonly cert: string;
    readonly key: string;
}

/** Where the certificate comes from: WeChat's apiclient_cert.p12, or the PEM pair WeChat issues beside it. */
export type MerchantCertificateSource =
    | { readonly p12Path: string; readonly passphrase?: string }
    | { readonly certPemPath: string; readonly keyPemPath: string };

export type CertificateVariable = 'WX_PAY_CERT_P12' | 'WX_PAY_CERT_PASSPHRASE' | 'WX_PAY_CERT_PEM' | 'WX_PAY_KEY_PEM';

/** A certificate that cannot be used, in one line naming the setting to fix; never the passphrase or key. */
export class MerchantCertificateError extends Error {
    override readonly name = 'MerchantCertificateError';

    constructor(readonly variable: CertificateVariable, problem: string) {
        super(`${variable}: ${problem}`);
    }
}

/**
 * Loads and checks the certificate once, at start-up: the file reads, the passphrase opens it
 * (the mch_id unless one is given, as WeChat issues them), and the key belongs to the
 * certificate. A p12 is opened with node-forge, because WeChat's use the legacy RC2-40
 * encryption that Node's OpenSSL 3 refuses ("Unsupported PKCS12 PFX data").
 */
export function loadMerchantCertificate(source: MerchantCertificateSource, mchId: string): MerchantCertificate {
    const loaded = 'p12Path' in source
        ? fromP12(source.p12Path, source.passphrase ?? mchId)
        : fromPemPair(source.certPemPath, source.keyPemPath);
    return Object.freeze(loaded);
}

function fromP12(path: string, passphrase: string): MerchantCertificate {
    const file = readOrThrow('WX_PAY_CERT_P12', path);
    let p12: forge.pkcs12.Pkcs12Pfx;
    try {
        p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(file.toString('binary')), passphrase);
    }
    catch (error) {
        const message = (error as Error).message;
        if (/Invalid password/i.test(message)) {
            throw new MerchantCertificateError('WX_PAY_CERT_PASSPHRASE', `does not open ${path} (wrong passphrase; without WX_PAY_CERT_PASSPHRASE it is the mch_id)`);
        }
        throw new MerchantCertificateError('WX_PAY_CERT_P12', `${path} is not a readable PKCS#12 file (${message})`);
    }

    const keys = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag]
        .flatMap((bagType) => p12.getBags({ bagType })[bagType] ?? [])
        .flatMap((bag) => (bag.key === undefined ? [] : [forge.pki.privateKeyToPem(bag.key)]));
    const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
        .flatMap((bag) => (bag.cert === undefined ? [] : [forge.pki.certificateToPem(bag.cert)]));
    if (keys.length !== 1) {
        throw new MerchantCertificateError('WX_PAY_CERT_P12', `${path} holds ${keys.length} private keys, not one`);
    }
    const [key] = keys as [string];
    // A p12 may carry the issuing CA too: the merchant's is the one its key belongs to.
    const cert = certs.find((pem) => belongsTo(pem, createPrivateKey(key)));
    if (cert === undefined) {
        throw new MerchantCertificateError('WX_PAY_CERT_P12', `${path} holds no certificate matching its private key`);
    }
    return { cert, key };
}

function fromPemPair(certPath: string, keyPath: string): MerchantCertificate {
    const cert = readOrThrow('WX_PAY_CERT_PEM', certPath).toString('utf8');
    const key = readOrThrow('WX_PAY_KEY_PEM', keyPath).toString('utf8');
    try {
        new X509Certificate(cert);
    }
    catch {
        throw new MerchantCertificateError('WX_PAY_CERT_PEM', `${certPath} is not a PEM certificate`);
    }
    let privateKey: KeyObject;
    try {
        privateKey = createPrivateKey(key);
    }
    catch {
        throw new MerchantCertificateError('WX_PAY_KEY_PEM', `${keyPath} is not an unencrypted PEM private key`);
    }
    if (!belongsTo(cert, privateKey)) {
        throw new MerchantCertificateError('WX_PAY_KEY_PEM', `${keyPath} is not the key of the certificate in WX_PAY_CERT_PEM (${certPath})`);
    }
    return { cert, key };
}

function readOrThrow(variable: CertificateVariable, path: string): Buffer {
    try {
        return readFileSync(path);
    }
    catch (error) {
        throw new MerchantCertificateError(variable, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
}

function belongsTo(certPem: string, key: KeyObject): boolean {
    try {
        return new X509Certificate(certPem).checkPrivateKey(key);
    }
    catch {
        return false;
    }
}
