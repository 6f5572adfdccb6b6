import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import forge from 'node-forge';

/** A certificate and its private key, as files and as PEM. */
export interface PemPair {
    readonly certPath: string;
    readonly keyPath: string;
    readonly cert: string;
    readonly key: string;
}

export interface DevCertificates {
    /** The development CA: it issues the two below; trust it with NODE_EXTRA_CA_CERTS. */
    readonly ca: { readonly certPath: string; readonly cert: string };
    /** The simulator's TLS listener: 127.0.0.1 and localhost. */
    readonly server: PemPair;
    /** The merchant's client certificate for /secapi, CN = mch_id, as WeChat issues it: a PEM pair and a p12. */
    readonly merchant: PemPair & { readonly p12Path: string; readonly p12Passphrase: string };
}

/** Where npm start keeps them; data/ is not committed. */
export const DEFAULT_DEV_CERTIFICATES_FOLDER = 'data/dev-certs';

const VALID_YEARS = 10;
const CERT = 'cert.pem';
const KEY = 'key.pem';
const P12 = 'apiclient_cert.p12';

/**
 * The development CA, the simulator's server certificate and the merchant certificate for
 * `mchId`, created under `folder` the first time and read back on later runs. Each set is
 * written to a scratch folder and renamed into place, so a process that races this one
 * (two test servers, the app and the simulator) reads a complete set, never half of one.
 */
export function ensureDevCertificates(folder: string, mchId: string): DevCertificates {
    mkdirSync(folder, { recursive: true });
    const caFolder = ensureSet(folder, 'ca', (scratch) => writePair(scratch, createCa()));
    const ca = readPair(caFolder);
    const serverFolder = ensureSet(folder, 'server', (scratch) => writePair(scratch, issue(ca, serverProfile())));
    const merchantFolder = ensureSet(folder, `merchant-${safeName(mchId)}`, (scratch) => {
        const pair = issue(ca, merchantProfile(mchId));
        writePair(scratch, pair);
        writeFileSync(join(scratch, P12), toP12(pair, mchId), { mode: 0o600 });
    });
    return {
        ca: { certPath: join(caFolder, CERT), cert: ca.cert },
        server: pemPair(serverFolder),
        // WeChat's rule: a merchant's p12 opens with its mch_id.
        merchant: { ...pemPair(merchantFolder), p12Path: join(merchantFolder, P12), p12Passphrase: mchId },
    };
}

interface Pair {
    readonly cert: string;
    readonly key: string;
}

interface Profile {
    readonly subject: forge.pki.CertificateField[];
    readonly extensions: object[];
}

function ensureSet(folder: string, name: string, create: (scratch: string) => void): string {
    const target = join(folder, name);
    if (existsSync(target)) {
        return target;
    }
    const scratch = mkdtempSync(join(folder, `.${name}-`));
    try {
        create(scratch);
        renameSync(scratch, target);
    }
    catch (error) {
        // Another process won the race: its complete set stands, ours goes.
        if (!existsSync(join(target, CERT))) {
            throw error;
        }
    }
    finally {
        rmSync(scratch, { recursive: true, force: true });
    }
    return target;
}

function createCa(): Pair {
    const subject = [{ name: 'commonName', value: 'wxpay-shop-api development CA' }, { name: 'organizationName', value: 'WeChat simulator' }];
    return sign(subject, subject, [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ]);
}

function serverProfile(): Profile {
    return {
        subject: [{ name: 'commonName', value: '127.0.0.1' }],
        extensions: [
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
            { name: 'extKeyUsage', serverAuth: true },
            { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
        ],
    };
}

function merchantProfile(mchId: string): Profile {
    return {
        subject: [
            { name: 'commonName', value: mchId },
            { name: 'organizationalUnitName', value: 'WeChat Pay merchant (development)' },
            { name: 'organizationName', value: 'WeChat simulator' },
        ],
        extensions: [
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
            { name: 'extKeyUsage', clientAuth: true },
        ],
    };
}

function issue(ca: Pair, profile: Profile): Pair {
    const issuer = forge.pki.certificateFromPem(ca.cert).subject.attributes;
    return sign(profile.subject, issuer, profile.extensions, forge.pki.privateKeyFromPem(ca.key));
}

/** A fresh RSA key (Node's generator: forge's pure-JS one takes seconds) and its certificate, signed by `signer` or by itself. */
function sign(subject: forge.pki.CertificateField[], issuer: forge.pki.CertificateField[], extensions: object[], signer?: forge.pki.rsa.PrivateKey): Pair {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
    certificate.serialNumber = randomSerialNumber();
    certificate.validity.notBefore = new Date(Date.now() - 60_000);
    certificate.validity.notAfter = new Date(Date.now() + VALID_YEARS * 365 * 24 * 60 * 60 * 1000);
    certificate.setSubject(subject);
    certificate.setIssuer(issuer);
    certificate.setExtensions([...extensions, { name: 'subjectKeyIdentifier' }]);
    certificate.sign(signer ?? forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(certificate), key: privateKey };
}

/**
 * 16 random octets, the first kept within 0x40-0x7f: positive and needing no 00 octet in front, as RFC 5280
 * asks. Raw random octets would not do: a draw starting with a zero octet (one in about 500) comes out padded,
 * since forge strips one leading zero at most, and OpenSSL refuses that certificate ("illegal padding"). Given
 * as `ca`, Node drops such a CA without a word, and every handshake fails: "unable to verify the first certificate".
 */
function randomSerialNumber(): string {
    const serial = randomBytes(16);
    serial.writeUInt8(0x40 | (serial.readUInt8(0) & 0x3f), 0);
    return serial.toString('hex');
}

/** Triple-DES, which Node's OpenSSL 3 and node-forge both open (WeChat's own RC2-40 only the latter). */
function toP12(pair: Pair, passphrase: string): Buffer {
    const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(pair.key), [forge.pki.certificateFromPem(pair.cert)], passphrase, { algorithm: '3des' });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function writePair(folder: string, pair: Pair): void {
    writeFileSync(join(folder, CERT), pair.cert);
    writeFileSync(join(folder, KEY), pair.key, { mode: 0o600 });
}

function pemPair(folder: string): PemPair {
    return { certPath: join(folder, CERT), keyPath: join(folder, KEY), ...readPair(folder) };
}

function readPair(folder: string): Pair {
    return { cert: readFileSync(join(folder, CERT), 'utf8'), key: readFileSync(join(folder, KEY), 'utf8') };
}

/** A mch_id is digits; anything else must still make one folder name, not a path. */
function safeName(mchId: string): string {
    return mchId.replace(/[^A-Za-z0-9_-]/g, '_');
}
