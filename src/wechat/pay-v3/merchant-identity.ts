import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

import type { MerchantCertificate } from '../merchant-certificate';
import { MerchantCertificateUnusableError, MerchantKeyMismatchError, type MerchantKeySources } from './errors';
import type { RequestSigner } from './request-signature';

// The merchant API certificate as APIv3 uses it: its private key signs every request, and its
// serial number names that key in the Authorization header. The serial is read from the
// certificate, never configured, so it cannot disagree with the key.

export interface MerchantIdentity extends RequestSigner {
    readonly notBefore: Date;
    readonly notAfter: Date;
}

/** The PEM pair's settings; a p12 is one source for both. */
export const PEM_PAIR_SOURCES: MerchantKeySources = { certificate: 'WX_PAY_CERT_PEM', key: 'WX_PAY_KEY_PEM' };

/**
 * From the certificate src/wechat/merchant-certificate.ts loaded (a p12 or a PEM pair, as for v2's
 * /secapi): its serial in upper-case hex, its validity, and its private key, checked to be the
 * certificate's RSA key. `sources` name the settings in any error.
 */
export function merchantIdentity(mchId: string, certificate: MerchantCertificate, sources: MerchantKeySources = PEM_PAIR_SOURCES): MerchantIdentity {
    let x509: X509Certificate;
    try {
        x509 = new X509Certificate(certificate.cert);
    }
    catch {
        throw new MerchantCertificateUnusableError(sources.certificate, 'is not a PEM certificate');
    }
    let privateKey: KeyObject;
    try {
        privateKey = createPrivateKey(certificate.key);
    }
    catch {
        throw new MerchantCertificateUnusableError(sources.key, 'is not an unencrypted PEM private key');
    }
    if (privateKey.asymmetricKeyType !== 'rsa') {
        throw new MerchantCertificateUnusableError(sources.key, `APIv3 signs with RSA (SHA256withRSA), not ${privateKey.asymmetricKeyType}`);
    }
    if (!x509.checkPrivateKey(privateKey)) {
        throw new MerchantKeyMismatchError(sources);
    }
    return Object.freeze({
        mchId,
        serialNo: x509.serialNumber.toUpperCase(),
        privateKey,
        notBefore: new Date(x509.validFrom),
        notAfter: new Date(x509.validTo),
    });
}
