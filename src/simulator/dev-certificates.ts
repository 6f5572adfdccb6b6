import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
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

/**
 * What the simulator needs to act as WeChat Pay in APIv3 for one merchant, and what the merchant is
 * given: WeChat's platform certificate (a 40-hex serial, issued by the development CA) with the
 * key that signs under it, WeChat's public key with its `PUB_KEY_ID_…` id and the key that signs
 * under that, and the merchant's APIv3 key.
 */
export interface DevWechatPayV3Keys {
    /** cert.pem / key.pem: the platform certificate the merchant downloads, and WeChat's private key for it. */
    readonly platform: PemPair & { readonly serial: string };
    readonly publicKey: {
        /** `PUB_KEY_ID_` and 32 digits, as WeChat shows it beside the key. */
        readonly id: string;
        /** pub_key.pem, the file WeChat gives the merchant (SPKI PEM). */
        readonly path: string;
        readonly pem: string;
        /** The simulator's alone: WeChat's private half, to sign with. */
        readonly privateKeyPath: string;
        readonly privateKey: string;
    };
    /** 32 characters, as set in the merchant platform. */
    readonly apiV3Key: string;
}

/** Where npm start keeps them; data/ is not committed. */
export const DEFAULT_DEV_CERTIFICATES_FOLDER = 'data/dev-certs';

const VALID_YEARS = 10;
const CERT = 'cert.pem';
const KEY = 'key.pem';
const P12 = 'apiclient_cert.p12';
const PUBLIC_KEY = 'pub_key.pem';
const PUBLIC_KEY_PRIVATE = 'pub_key_private.pem';
const PUBLIC_KEY_ID = 'pub_key_id';
const API_V3_KEY = 'apiv3_key';
/** WeChat's platform certificate serials are 20 octets (40 hex digits); ours for TLS, 16. */
const PLATFORM_SERIAL_BYTES = 20;

/**
 * The development CA, the simulator's server certificate and the merchant certificate for
 * `mchId`, created under `folder` the first time and read back on later runs. Each set is
 * written to a scratch folder and renamed into place, so a process that races this one
 * (two test servers, the app and the simulator) reads a complete set, never half of one.
 */
export function ensureDevCertificates(folder: string, mchId: string): DevCertificates {
    const { caFolder, ca } = ensureCa(folder);
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

/**
 * The APIv3 development material for `mchId`, created under `folder` on first use (beside, and
 * issued by the same CA as, ensureDevCertificates') and read back on later runs.
 */
export function ensureDevWechatPayV3Keys(folder: string, mchId: string): DevWechatPayV3Keys {
    const { ca } = ensureCa(folder);
    const v3Folder = ensureSet(folder, `wechatpay-v3-${safeName(mchId)}`, (scratch) => {
        writePair(scratch, issuePlatformCertificate(ca));
        const { publicKey, privateKey } = rsaKeyPair();
        writeFileSync(join(scratch, PUBLIC_KEY), publicKey);
        writeFileSync(join(scratch, PUBLIC_KEY_PRIVATE), privateKey, { mode: 0o600 });
        writeFileSync(join(scratch, PUBLIC_KEY_ID), `PUB_KEY_ID_${randomDigits(32)}`);
        writeFileSync(join(scratch, API_V3_KEY), randomBytes(16).toString('hex'), { mode: 0o600 });
    });
    const platform = pemPair(v3Folder);
    return {
        platform: { ...platform, serial: new X509Certificate(platform.cert).serialNumber.toUpperCase() },
        publicKey: {
            id: readFileSync(join(v3Folder, PUBLIC_KEY_ID), 'utf8'),
            path: join(v3Folder, PUBLIC_KEY),
            pem: readFileSync(join(v3Folder, PUBLIC_KEY), 'utf8'),
            privateKeyPath: join(v3Folder, PUBLIC_KEY_PRIVATE),
            privateKey: readFileSync(join(v3Folder, PUBLIC_KEY_PRIVATE), 'utf8'),
        },
        apiV3Key: readFileSync(join(v3Folder, API_V3_KEY), 'utf8'),
    };
}

/** A new platform certificate from the development CA under `folder`, in memory: for the simulator's certificate rotation. */
export function issueDevPlatformCertificate(folder: string): { readonly cert: string; readonly key: string; readonly serial: string } {
    const pair = issuePlatformCertificate(ensureCa(folder).ca);
    return { ...pair, serial: new X509Certificate(pair.cert).serialNumber.toUpperCase() };
}

interface Pair {
    readonly cert: string;
    readonly key: string;
}

interface Profile {
    readonly subject: forge.pki.CertificateField[];
    readonly extensions: object[];
}

function ensureCa(folder: string): { caFolder: string; ca: Pair } {
    mkdirSync(folder, { recursive: true });
    const caFolder = ensureSet(folder, 'ca', (scratch) => writePair(scratch, createCa()));
    return { caFolder, ca: readPair(caFolder) };
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

/** Named as WeChat Pay's are (CN=Tenpay.com sign), marked as ours; its key signs and, for sensitive fields, decrypts. */
function issuePlatformCertificate(ca: Pair): Pair {
    return issue(ca, {
        subject: [
            { name: 'commonName', value: 'Tenpay.com sign' },
            { name: 'organizationalUnitName', value: 'WeChat Pay platform certificate (development)' },
            { name: 'organizationName', value: 'WeChat simulator' },
        ],
        extensions: [
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, nonRepudiation: true },
        ],
    }, PLATFORM_SERIAL_BYTES);
}

function issue(ca: Pair, profile: Profile, serialBytes?: number): Pair {
    const issuer = forge.pki.certificateFromPem(ca.cert).subject.attributes;
    return sign(profile.subject, issuer, profile.extensions, forge.pki.privateKeyFromPem(ca.key), serialBytes);
}

/** A fresh RSA key (Node's generator: forge's pure-JS one takes seconds) and its certificate, signed by `signer` or by itself. */
function sign(subject: forge.pki.CertificateField[], issuer: forge.pki.CertificateField[], extensions: object[], signer?: forge.pki.rsa.PrivateKey, serialBytes = 16): Pair {
    const { publicKey, privateKey } = rsaKeyPair();
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
    certificate.serialNumber = randomSerialNumber(serialBytes);
    certificate.validity.notBefore = new Date(Date.now() - 60_000);
    certificate.validity.notAfter = new Date(Date.now() + VALID_YEARS * 365 * 24 * 60 * 60 * 1000);
    certificate.setSubject(subject);
    certificate.setIssuer(issuer);
    certificate.setExtensions([...extensions, { name: 'subjectKeyIdentifier' }]);
    certificate.sign(signer ?? forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(certificate), key: privateKey };
}

function rsaKeyPair(): { publicKey: string; privateKey: string } {
    return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
}

/**
 * Random octets (16, or 20 for a platform certificate), the first kept within 0x40-0x7f: positive and needing no 00 octet in front, as RFC 5280
 * asks. Raw random octets would not do: a draw starting with a zero octet (one in about 500) comes out padded,
 * since forge strips one leading zero at most, and OpenSSL refuses that certificate ("illegal padding"). Given
 * as `ca`, Node drops such a CA without a word, and every handshake fails: "unable to verify the first certificate".
 */
function randomSerialNumber(octets: number): string {
    const serial = randomBytes(octets);
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

/** Decimal digits from the CSPRNG (the slight bias of a byte modulo 10 is no matter for a key's name). */
function randomDigits(count: number): string {
    return [...randomBytes(count)].map((byte) => String(byte % 10)).join('');
}

/** A mch_id is digits; anything else must still make one folder name, not a path. */
function safeName(mchId: string): string {
    return mchId.replace(/[^A-Za-z0-9_-]/g, '_');
}
