import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ensureDevCertificates, type DevCertificates } from '../../../src/simulator/dev-certificates';
import { loadMerchantCertificate } from '../../../src/wechat/merchant-certificate';
import { MerchantCertificateUnusableError, MerchantKeyMismatchError } from '../../../src/wechat/pay-v3/errors';
import { merchantIdentity } from '../../../src/wechat/pay-v3/merchant-identity';
import { signSha256WithRsa, verifySha256WithRsa } from '../../../src/wechat/pay-v3/rsa-signature';

// APIv3 signs with the merchant API certificate's key and names it by the certificate's serial,
// read from the certificate itself (no setting to get wrong); a key that is not the certificate's
// stops start-up naming both settings.

const MCH_ID = '1900000109';

describe('merchantIdentity', () => {
    let folder: string;
    let certs: DevCertificates;
    before(() => {
        folder = mkdtempSync(join(tmpdir(), 'merchant-identity-'));
        certs = ensureDevCertificates(folder, MCH_ID);
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('reads the serial in upper-case hex and the validity from the certificate, as OpenSSL does', () => {
        const identity = merchantIdentity(MCH_ID, loadMerchantCertificate({ certPemPath: certs.merchant.certPath, keyPemPath: certs.merchant.keyPath }, MCH_ID));
        const openssl = execFileSync('openssl', ['x509', '-in', certs.merchant.certPath, '-noout', '-serial', '-enddate'], { encoding: 'utf8' });
        assert.equal(`serial=${identity.serialNo}`, openssl.split('\n')[0]);
        assert.match(identity.serialNo, /^[0-9A-F]+$/);
        assert.equal(identity.notAfter.getTime(), Date.parse(openssl.split('\n')[1]!.replace('notAfter=', '')));
        assert.ok(identity.notBefore < new Date() && identity.notAfter > new Date());
        assert.equal(identity.mchId, MCH_ID);
    });

    it('takes the certificate the p12 loader opened, and its key signs what the certificate verifies', () => {
        const identity = merchantIdentity(MCH_ID, loadMerchantCertificate({ p12Path: certs.merchant.p12Path }, MCH_ID), { certificate: 'WX_PAY_CERT_P12', key: 'WX_PAY_CERT_P12' });
        assert.equal(identity.serialNo, new X509Certificate(certs.merchant.cert).serialNumber);
        assert.ok(verifySha256WithRsa('message', signSha256WithRsa('message', identity.privateKey), new X509Certificate(certs.merchant.cert).publicKey));
    });

    it('refuses a key that is not the certificate\'s, naming both settings and neither key', () => {
        assert.throws(() => merchantIdentity(MCH_ID, { cert: certs.merchant.cert, key: certs.server.key }), (error: unknown) => {
            assert.ok(error instanceof MerchantKeyMismatchError);
            assert.match(error.message, /^WX_PAY_CERT_PEM and WX_PAY_KEY_PEM do not match/);
            assert.doesNotMatch(error.message, /PRIVATE KEY|BEGIN/);
            return true;
        });
        assert.throws(() => merchantIdentity(MCH_ID, { cert: certs.merchant.cert, key: certs.server.key }, { certificate: 'WX_PAY_CERT_P12', key: 'WX_PAY_CERT_P12' }), /^MerchantKeyMismatchError: WX_PAY_CERT_P12: its private key is not the key of its certificate$/m);
    });

    it('names the setting that holds something unusable', () => {
        assert.throws(() => merchantIdentity(MCH_ID, { cert: 'garbage', key: certs.merchant.key }), (error: unknown) => error instanceof MerchantCertificateUnusableError && error.source === 'WX_PAY_CERT_PEM');
        assert.throws(() => merchantIdentity(MCH_ID, { cert: certs.merchant.cert, key: 'garbage' }), (error: unknown) => error instanceof MerchantCertificateUnusableError && error.source === 'WX_PAY_KEY_PEM');
    });
});
