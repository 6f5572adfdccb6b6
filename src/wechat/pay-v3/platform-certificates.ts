import { fromRfc3339, toBeijingRfc3339 } from '../time';
import { decryptResource, encryptResource, type ApiV3Key, type EncryptedResource } from './aead';
import { CertificateDownloadError, ResourceDecryptError, VerificationKeyError } from './errors';
import { readKeyName } from './serial';
import { certificateEntry, type VerificationKey } from './verification-keys';

// The reply of GET /v3/certificates: every platform certificate WeChat Pay signs with now or soon,
// each encrypted with the APIv3 key (associated_data 'certificate') so that only this merchant
// (and WeChat) can read it. Platform-certificate mode only: a merchant in public-key mode has none.

export const CERTIFICATE_ASSOCIATED_DATA = 'certificate';

export interface PlatformCertificate extends VerificationKey {
    readonly kind: 'certificate';
    readonly pem: string;
    /** When WeChat says it starts and stops signing with it (the list's effective_time, expire_time). */
    readonly effectiveTime: Date;
    readonly expireTime: Date;
}

/** An entry as parsed: nothing in it is trusted to have the type WeChat documents. */
interface ListedCertificate {
    readonly serial_no: unknown;
    readonly effective_time: unknown;
    readonly expire_time: unknown;
    readonly encrypt_certificate: EncryptedResource | undefined;
}

/**
 * Every certificate in the reply's body, decrypted and checked: the certificate's own serial is the
 * one listed, and the times are RFC 3339. One entry that fails fails the whole list, so a wrong
 * APIv3 key or a tampered reply never half-replaces the certificates held.
 */
export function readCertificateList(body: string | Buffer, apiV3Key: ApiV3Key): PlatformCertificate[] {
    const listed = parseList(typeof body === 'string' ? body : body.toString('utf8'));
    return listed.map((entry) => {
        const serial = typeof entry.serial_no === 'string' ? readKeyName(entry.serial_no) : undefined;
        if (serial?.kind !== 'certificate') {
            throw new CertificateDownloadError(`serial_no ${String(entry.serial_no).slice(0, 48)} is not a certificate serial`);
        }
        const effectiveTime = timeOf(entry.effective_time);
        const expireTime = timeOf(entry.expire_time);
        if (effectiveTime === undefined || expireTime === undefined) {
            throw new CertificateDownloadError(`certificate ${serial.serial}: effective_time or expire_time is not RFC 3339`);
        }
        if (entry.encrypt_certificate?.associated_data !== CERTIFICATE_ASSOCIATED_DATA) {
            throw new CertificateDownloadError(`certificate ${serial.serial}: associated_data is not '${CERTIFICATE_ASSOCIATED_DATA}'`);
        }
        let pem: string;
        let key: VerificationKey;
        try {
            pem = decryptResource(entry.encrypt_certificate, apiV3Key);
            key = certificateEntry(pem);
        }
        catch (error) {
            if (error instanceof ResourceDecryptError || error instanceof VerificationKeyError) {
                throw new CertificateDownloadError(`certificate ${serial.serial}: ${error.message}`);
            }
            throw error;
        }
        if (key.serial !== serial.serial) {
            throw new CertificateDownloadError(`certificate listed as ${serial.serial} has serial ${key.serial}`);
        }
        return Object.freeze({ ...key, kind: 'certificate' as const, pem, effectiveTime, expireTime });
    });
}

/** The simulator's side: the reply body WeChat gives for these certificates (PEM, with their times). */
export function certificateListBody(certificates: readonly { readonly pem: string; readonly effectiveTime: Date; readonly expireTime: Date }[], apiV3Key: ApiV3Key): string {
    return JSON.stringify({
        data: certificates.map((certificate) => ({
            serial_no: certificateEntry(certificate.pem).serial,
            effective_time: toBeijingRfc3339(certificate.effectiveTime),
            expire_time: toBeijingRfc3339(certificate.expireTime),
            encrypt_certificate: encryptResource(certificate.pem, apiV3Key, CERTIFICATE_ASSOCIATED_DATA),
        })),
    });
}

function parseList(body: string): ListedCertificate[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        throw new CertificateDownloadError('the reply is not JSON');
    }
    const data = (parsed as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.some((entry) => typeof entry !== 'object' || entry === null)) {
        throw new CertificateDownloadError('the reply has no data list');
    }
    return data as ListedCertificate[];
}

function timeOf(value: unknown): Date | undefined {
    return typeof value === 'string' ? fromRfc3339(value) : undefined;
}
