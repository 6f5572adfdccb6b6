import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSecureContext } from 'node:tls';

import forge from 'node-forge';

import { ensureDevCertificates, type DevCertificates } from '../../src/simulator/dev-certificates';
import { loadMerchantCertificate, MerchantCertificateError, type CertificateVariable, type MerchantCertificateSource } from '../../src/wechat/merchant-certificate';

// The merchant certificate for /secapi: from WeChat's p12 (passphrase = mch_id unless given),
// legacy RC2-40 encryption included, or from a PEM pair; a file that cannot serve stops
// start-up with one line naming the setting.

const MCH_ID = '1900000109';

describe('loadMerchantCertificate', () => {
    let folder: string;
    let certs: DevCertificates;
    /** A p12 encrypted as WeChat's are: PBE-SHA1-RC2-40 for both the key and the certificate. */
    let legacyP12: string;

    before(() => {
        folder = mkdtempSync(join(tmpdir(), 'merchant-cert-'));
        certs = ensureDevCertificates(join(folder, 'dev-certs'), MCH_ID);
        legacyP12 = join(folder, 'apiclient_cert.p12');
        execFileSync('openssl', [
            'pkcs12', '-export', '-legacy', '-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-RC2-40',
            '-in', certs.merchant.certPath, '-inkey', certs.merchant.keyPath, '-certfile', certs.ca.certPath,
            '-out', legacyP12, '-passout', `pass:${MCH_ID}`,
        ]);
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
    const refusal = (source: MerchantCertificateSource, variable: CertificateVariable, message: RegExp, mchId = MCH_ID) => {
        assert.throws(() => loadMerchantCertificate(source, mchId), (error: unknown) => {
            assert.ok(error instanceof MerchantCertificateError);
            assert.equal(error.variable, variable);
            assert.ok(error.message.startsWith(`${variable}: `), error.message);
            assert.match(error.message, message);
            assert.doesNotMatch(error.message, /\n/);
            assert.doesNotMatch(error.message, /PRIVATE KEY|wrong-passphrase/);
            return true;
        });
    };

    it('opens WeChat\'s legacy RC2-40 p12 that Node\'s own TLS refuses, with the mch_id as passphrase', () => {
        assert.throws(() => createSecureContext({ pfx: readFileSync(legacyP12), passphrase: MCH_ID }), /Unsupported PKCS12 PFX data/);

        const loaded = loadMerchantCertificate({ p12Path: legacyP12 }, MCH_ID);
        // The merchant's certificate, not the CA that travels with it in the file.
        assert.equal(fingerprint(loaded.cert), fingerprint(certs.merchant.cert));
        assert.ok(new X509Certificate(loaded.cert).checkPrivateKey(createPrivateKey(loaded.key)));
        assert.doesNotThrow(() => createSecureContext(loaded));
        assert.ok(Object.isFrozen(loaded));
    });

    it('opens a p12 with the passphrase given instead of the mch_id', () => {
        const p12 = join(folder, 'other-passphrase.p12');
        execFileSync('openssl', ['pkcs12', '-export', '-in', certs.merchant.certPath, '-inkey', certs.merchant.keyPath, '-out', p12, '-passout', 'pass:s3cret-Pass']);
        assert.equal(fingerprint(loadMerchantCertificate({ p12Path: p12, passphrase: 's3cret-Pass' }, MCH_ID).cert), fingerprint(certs.merchant.cert));
    });

    it('opens the development p12 and the PEM pair alike', () => {
        const fromP12 = loadMerchantCertificate({ p12Path: certs.merchant.p12Path }, MCH_ID);
        const fromPem = loadMerchantCertificate({ certPemPath: certs.merchant.certPath, keyPemPath: certs.merchant.keyPath }, MCH_ID);
        assert.equal(fingerprint(fromP12.cert), fingerprint(fromPem.cert));
        assert.equal(createPrivateKey(fromP12.key).export({ format: 'jwk' }).n, createPrivateKey(fromPem.key).export({ format: 'jwk' }).n);
    });

    it('names WX_PAY_CERT_PASSPHRASE for a wrong passphrase, without echoing it', () => {
        refusal({ p12Path: legacyP12, passphrase: 'wrong-passphrase' }, 'WX_PAY_CERT_PASSPHRASE', /wrong passphrase/);
        // No passphrase given means the mch_id, and that is what to set when it is not.
        refusal({ p12Path: legacyP12 }, 'WX_PAY_CERT_PASSPHRASE', /it is the mch_id/, '1234567890');
    });

    it('names the variable of a file that cannot be read', () => {
        const missing = join(folder, 'missing.pem');
        refusal({ p12Path: missing }, 'WX_PAY_CERT_P12', /cannot read .*missing\.pem \(ENOENT\)/);
        refusal({ certPemPath: missing, keyPemPath: certs.merchant.keyPath }, 'WX_PAY_CERT_PEM', /ENOENT/);
        refusal({ certPemPath: certs.merchant.certPath, keyPemPath: missing }, 'WX_PAY_KEY_PEM', /ENOENT/);
    });

    it('names the variable of a file that holds something else', () => {
        const garbage = join(folder, 'garbage.bin');
        writeFileSync(garbage, 'this is not a certificate');
        refusal({ p12Path: garbage }, 'WX_PAY_CERT_P12', /not a readable PKCS#12 file/);
        refusal({ certPemPath: garbage, keyPemPath: certs.merchant.keyPath }, 'WX_PAY_CERT_PEM', /not a PEM certificate/);
        refusal({ certPemPath: certs.merchant.certPath, keyPemPath: garbage }, 'WX_PAY_KEY_PEM', /not an unencrypted PEM private key/);
    });

    it('names WX_PAY_CERT_P12 for a p12 without the private key, or whose key has no certificate in it', () => {
        const certOnly = join(folder, 'cert-only.p12');
        execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', certs.merchant.certPath, '-out', certOnly, '-passout', `pass:${MCH_ID}`]);
        refusal({ p12Path: certOnly }, 'WX_PAY_CERT_P12', /holds 0 private keys, not one/);
        const caOnly = join(folder, 'ca-only.p12');
        // OpenSSL will not pack a key with a certificate not its own; node-forge does as told.
        const mismatched = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(certs.merchant.key), [forge.pki.certificateFromPem(certs.ca.cert)], MCH_ID, { algorithm: '3des' });
        writeFileSync(caOnly, Buffer.from(forge.asn1.toDer(mismatched).getBytes(), 'binary'));
        refusal({ p12Path: caOnly }, 'WX_PAY_CERT_P12', /no certificate matching its private key/);
    });

    it('names WX_PAY_KEY_PEM for a key that is not the certificate\'s', () => {
        refusal({ certPemPath: certs.merchant.certPath, keyPemPath: certs.server.keyPath }, 'WX_PAY_KEY_PEM', /not the key of the certificate in WX_PAY_CERT_PEM/);
    });
});
