import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto, { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { connect, createSecureContext, createServer, type TLSSocket } from 'node:tls';

import { ensureDevCertificates, ensureDevWechatPayV3Keys, issueDevPlatformCertificate, type DevCertificates } from '../../src/simulator/dev-certificates';

// npm start needs no certificate setup: a development CA, a server certificate for the
// simulator's TLS listener and a merchant client certificate for the mch_id are made on
// first use, kept under a folder, and read back on later runs.

const MCH_ID = '1900000109';

describe('ensureDevCertificates', () => {
    let root: string;
    let folder: string;
    let certs: DevCertificates;
    before(() => {
        root = mkdtempSync(join(tmpdir(), 'dev-certs-'));
        folder = join(root, 'dev-certs');
        certs = ensureDevCertificates(folder, MCH_ID);
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('makes a CA that issued a server certificate for 127.0.0.1 and localhost', () => {
        const ca = new X509Certificate(certs.ca.cert);
        const server = new X509Certificate(certs.server.cert);
        assert.equal(ca.ca, true);
        assert.equal(server.ca, false);
        assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
        assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
        assert.equal(server.checkHost('localhost'), 'localhost');
        assert.ok(server.checkPrivateKey(createPrivateKey(certs.server.key)));
    });

    it('makes a merchant client certificate whose CN is the mch_id, as a PEM pair and a p12 opened by the mch_id', () => {
        const merchant = new X509Certificate(certs.merchant.cert);
        assert.ok(merchant.checkIssued(new X509Certificate(certs.ca.cert)));
        assert.match(merchant.subject, new RegExp(`^CN=${MCH_ID}$`, 'm'));
        assert.deepEqual(merchant.keyUsage, ['1.3.6.1.5.5.7.3.2']);
        assert.equal(certs.merchant.p12Passphrase, MCH_ID);
        assert.doesNotThrow(() => createSecureContext({ pfx: readFileSync(certs.merchant.p12Path), passphrase: MCH_ID }));
    });

    it('keeps private keys readable by their owner only', () => {
        for (const path of [certs.server.keyPath, certs.merchant.keyPath, certs.merchant.p12Path]) {
            assert.equal(statSync(path).mode & 0o077, 0, path);
        }
    });

    it('reads the same certificates back on a later run', () => {
        const again = ensureDevCertificates(folder, MCH_ID);
        assert.deepEqual(again, certs);
    });

    it('gives another mch_id its own merchant certificate from the same CA', () => {
        const other = ensureDevCertificates(folder, '1230000109');
        assert.equal(other.ca.cert, certs.ca.cert);
        assert.equal(other.server.cert, certs.server.cert);
        assert.notEqual(other.merchant.certPath, certs.merchant.certPath);
        assert.match(new X509Certificate(other.merchant.cert).subject, /^CN=1230000109$/m);
    });

    it('gives processes that start at once the same complete set', async () => {
        const shared = join(root, 'raced');
        const script = join(root, 'ensure.ts');
        writeFileSync(script, `import { ensureDevCertificates } from ${JSON.stringify(join(process.cwd(), 'src/simulator/dev-certificates'))};\n`
            + `const certs = ensureDevCertificates(${JSON.stringify(shared)}, '${MCH_ID}');\n`
            + 'console.log(JSON.stringify([certs.ca.cert, certs.server.cert, certs.merchant.cert]));\n');
        const runs = await Promise.all([1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', script])));
        const [first, ...others] = runs.map((output) => JSON.parse(output) as string[]);
        for (const other of others) {
            assert.deepEqual(other, first);
        }
        const [ca, server, merchant] = first as [string, string, string];
        assert.ok(new X509Certificate(server).checkIssued(new X509Certificate(ca)));
        assert.ok(new X509Certificate(merchant).checkIssued(new X509Certificate(ca)));
        // No scratch folder is left behind.
        assert.deepEqual(readdirSync(shared).sort(), ['ca', 'merchant-1900000109', 'server']);
    });

    it('lets a client that trusts the CA and presents the merchant certificate complete a TLS handshake the server authorizes', async () => {
        assert.deepEqual(await handshake(certs), { authorized: true, cn: MCH_ID });
    });

    it('makes certificates OpenSSL reads whatever the random serial draws, even ones starting 00 3f', async (t) => {
        // forge strips one leading zero octet of an INTEGER at most, and OpenSSL refuses a serial left padded;
        // given such a CA as `ca`, a client drops it silently and cannot verify the server (about one set in 500).
        const draw = crypto.randomBytes;
        t.mock.method(crypto, 'randomBytes', (size: number) => Buffer.concat([Buffer.from([0x00, 0x3f]), draw(size)]).subarray(0, size));
        const drawn = ensureDevCertificates(join(root, 'zero-led-serials'), MCH_ID);
        t.mock.restoreAll();

        for (const pem of [drawn.ca.cert, drawn.server.cert, drawn.merchant.cert]) {
            assert.match(new X509Certificate(pem).serialNumber, /^[4-7][0-9A-F]{31}$/);
        }
        assert.deepEqual(await handshake(drawn), { authorized: true, cn: MCH_ID });
    });
});

describe('ensureDevWechatPayV3Keys', () => {
    let root: string;
    let folder: string;
    before(() => {
        root = mkdtempSync(join(tmpdir(), 'dev-v3-keys-'));
        folder = join(root, 'dev-certs');
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('makes WeChat\'s platform certificate with a 40-hex serial, issued by the development CA, and its key', () => {
        const keys = ensureDevWechatPayV3Keys(folder, MCH_ID);
        const platform = new X509Certificate(keys.platform.cert);
        assert.match(keys.platform.serial, /^[0-9A-F]{40}$/);
        assert.equal(platform.serialNumber, keys.platform.serial);
        assert.ok(platform.checkIssued(new X509Certificate(ensureDevCertificates(folder, MCH_ID).ca.cert)));
        assert.ok(platform.checkPrivateKey(createPrivateKey(keys.platform.key)));
        assert.match(platform.subject, /^CN=Tenpay\.com sign$/m);
    });

    it('makes WeChat\'s public key (its own pair, not the certificate\'s) with a PUB_KEY_ID_ id, and a 32-byte APIv3 key', () => {
        const keys = ensureDevWechatPayV3Keys(folder, MCH_ID);
        assert.match(keys.publicKey.id, /^PUB_KEY_ID_\d{32}$/);
        const publicKey = crypto.createPublicKey(keys.publicKey.pem);
        assert.deepEqual(publicKey.export({ format: 'jwk' }), crypto.createPublicKey(keys.publicKey.privateKey).export({ format: 'jwk' }));
        assert.notDeepEqual(publicKey.export({ format: 'jwk' }), new X509Certificate(keys.platform.cert).publicKey.export({ format: 'jwk' }));
        assert.equal(readFileSync(keys.publicKey.path, 'utf8'), keys.publicKey.pem);
        assert.equal(Buffer.byteLength(keys.apiV3Key, 'utf8'), 32);
        for (const path of [keys.platform.keyPath, keys.publicKey.privateKeyPath]) {
            assert.equal(statSync(path).mode & 0o077, 0, path);
        }
    });

    it('reads the same material back on a later run, and gives another mch_id its own', () => {
        const first = ensureDevWechatPayV3Keys(folder, MCH_ID);
        assert.deepEqual(ensureDevWechatPayV3Keys(folder, MCH_ID), first);
        const other = ensureDevWechatPayV3Keys(folder, '1230000109');
        assert.notEqual(other.platform.serial, first.platform.serial);
        assert.notEqual(other.publicKey.id, first.publicKey.id);
        assert.notEqual(other.apiV3Key, first.apiV3Key);
    });

    it('issues further platform certificates from the same CA for a rotation, each with a new 40-hex serial', () => {
        const current = ensureDevWechatPayV3Keys(folder, MCH_ID);
        const next = issueDevPlatformCertificate(folder);
        assert.match(next.serial, /^[0-9A-F]{40}$/);
        assert.notEqual(next.serial, current.platform.serial);
        assert.ok(new X509Certificate(next.cert).checkIssued(new X509Certificate(ensureDevCertificates(folder, MCH_ID).ca.cert)));
        assert.ok(new X509Certificate(next.cert).checkPrivateKey(createPrivateKey(next.key)));
    });
});

async function run(command: string, args: string[]): Promise<string> {
    return (await promisify(execFile)(command, args, { cwd: process.cwd() })).stdout;
}

/**
 * A handshake between a server with `certs`' server certificate and a client that trusts their CA and presents
 * the merchant's: what the server made of the client, or the client's error if it could not verify the server.
 */
async function handshake(certs: DevCertificates): Promise<{ authorized: boolean; cn: unknown }> {
    const server = createServer({ cert: certs.server.cert, key: certs.server.key, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false });
    const seen = new Promise<{ authorized: boolean; cn: unknown }>((resolve) => server.once('secureConnection', (socket: TLSSocket) => {
        resolve({ authorized: socket.authorized, cn: socket.getPeerCertificate().subject?.CN });
        socket.end();
    }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
        const { port } = server.address() as AddressInfo;
        const client = connect({ host: '127.0.0.1', port, ca: certs.ca.cert, cert: certs.merchant.cert, key: certs.merchant.key });
        try {
            await new Promise<void>((resolve, reject) => client.once('secureConnect', resolve).once('error', reject));
            // Under TLS 1.3 the server finishes after the client: the client stays until it has.
            return await seen;
        }
        finally {
            client.destroy();
        }
    }
    finally {
        server.close();
    }
}
