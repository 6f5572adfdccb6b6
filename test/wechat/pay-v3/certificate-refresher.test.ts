import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ApiV3Key } from '../../../src/wechat/pay-v3/aead';
import { PlatformCertificateRefresher, verifyRefreshing, type CertificateDownload, type RefresherOptions } from '../../../src/wechat/pay-v3/certificate-refresher';
import { CertificateDownloadError, UnknownSerialError } from '../../../src/wechat/pay-v3/errors';
import { certificateListBody, readCertificateList } from '../../../src/wechat/pay-v3/platform-certificates';
import { readSignedReply, signReply, type SigningKey } from '../../../src/wechat/pay-v3/reply-signature';
import { readKeyName } from '../../../src/wechat/pay-v3/serial';
import { SignatureVerifier } from '../../../src/wechat/pay-v3/verifier';
import { combinedKeys, KeyRing, publicKeyEntry } from '../../../src/wechat/pay-v3/verification-keys';
import { makeV3Parties, type PlatformKey, type V3Parties } from '../../helpers/wechatpay-v3';

// Platform-certificate mode: the certificates come from GET /v3/certificates, encrypted with the
// APIv3 key, and are kept current by a timer and by the first signature naming a serial not held.
// One download at a time; a flood of unknown serials makes at most a few a minute; nothing is
// taken from a download that cannot be verified.

const DAY = 24 * 60 * 60 * 1000;

/** WeChat's GET /v3/certificates as the refresher's injected download sees it. */
class CertificateEndpoint {
    calls = 0;
    listed: PlatformKey[];
    signer: SigningKey;
    reply: ((body: string) => CertificateDownload) | undefined;
    private gate: Promise<void> = Promise.resolve();

    constructor(private readonly apiV3Key: ApiV3Key, readonly clock: () => number, first: PlatformKey) {
        this.listed = [first];
        this.signer = first;
    }

    /** Holds every download until the returned function is called. */
    hold(): () => void {
        let release!: () => void;
        this.gate = new Promise((resolve) => {
            release = resolve;
        });
        return release;
    }

    readonly download = async (): Promise<CertificateDownload> => {
        this.calls += 1;
        await this.gate;
        const now = this.clock();
        const body = certificateListBody(this.listed.map((key) => ({ pem: key.cert, effectiveTime: new Date(now - DAY), expireTime: new Date(now + 365 * DAY) })), this.apiV3Key);
        return this.reply?.(body) ?? { status: 200, headers: signReply(body, this.signer, { now: this.clock }), body };
    };
}

describe('PlatformCertificateRefresher', () => {
    let parties: V3Parties;
    let next: PlatformKey;
    before(() => {
        parties = makeV3Parties();
        next = parties.nextPlatformCertificate();
    });
    after(() => parties.remove());

    /** A clock the test moves: real time (the certificates' validity is real), plus an offset. */
    const clock = () => {
        const state = { offset: 0 };
        return { now: () => Date.now() + state.offset, advance: (ms: number) => { state.offset += ms; } };
    };
    const setUp = (options: Partial<RefresherOptions> = {}) => {
        const time = clock();
        const endpoint = new CertificateEndpoint(parties.apiV3Key, time.now, parties.platform);
        const failures: Error[] = [];
        const refresher = new PlatformCertificateRefresher({
            download: endpoint.download, apiV3Key: parties.apiV3Key, now: time.now, onRefreshFailed: (error) => failures.push(error), ...options,
        });
        return { time, endpoint, refresher, failures, verifier: new SignatureVerifier(refresher, { now: time.now }) };
    };
    const certificateName = (key: PlatformKey) => readKeyName(key.serial)!;
    const notice = (key: SigningKey, now: () => number) => {
        const body = '{"event_type":"TRANSACTION.SUCCESS"}';
        return readSignedReply(signReply(body, key, { now }), body);
    };

    it('takes the first download, signed by the certificate it carries (nothing is held yet)', async () => {
        const { refresher, endpoint } = setUp();
        const held = await refresher.refresh();
        assert.deepEqual(held.map((certificate) => certificate.serial), [parties.platform.serial]);
        assert.equal(refresher.keyFor(certificateName(parties.platform))?.serial, parties.platform.serial);
        assert.equal(held[0]?.pem, parties.platform.cert);
        assert.equal(endpoint.calls, 1);
    });

    it('refuses a download signed by a key that is neither held nor in the list, and keeps what it held', async () => {
        const { refresher, endpoint } = setUp();
        endpoint.signer = { serial: parties.platform.serial, privateKey: next.privateKey };
        await assert.rejects(refresher.refresh(), (error: unknown) => error instanceof CertificateDownloadError && /not verified.*does not verify/.test(error.message));
        endpoint.signer = next;
        await assert.rejects(refresher.refresh(), /not verified.*no WeChat Pay key with serial/);
        assert.deepEqual(refresher.keys(), []);

        endpoint.signer = parties.platform;
        await refresher.refresh();
        endpoint.signer = { serial: parties.platform.serial, privateKey: next.privateKey };
        endpoint.listed = [next];
        await assert.rejects(refresher.refresh(), CertificateDownloadError);
        assert.deepEqual(refresher.keys().map((key) => key.serial), [parties.platform.serial]);
    });

    it('refuses a list it cannot decrypt (another APIv3 key, a forger\'s certificate) even when the reply is signed by its own certificate', async () => {
        const { refresher, endpoint } = setUp({ apiV3Key: ApiV3Key.from('f'.repeat(32)) });
        await assert.rejects(refresher.refresh(), /authentication failed/);
        assert.deepEqual(refresher.keys(), []);
        // The forger's own list, encrypted under a key it made up, signed by its own certificate.
        const forged = setUp();
        forged.endpoint.reply = () => {
            const body = certificateListBody([{ pem: next.cert, effectiveTime: new Date(), expireTime: new Date(Date.now() + DAY) }], ApiV3Key.from('f'.repeat(32)));
            return { status: 200, headers: signReply(body, next), body };
        };
        await assert.rejects(forged.refresher.refresh(), CertificateDownloadError);
        assert.deepEqual(forged.refresher.keys(), []);
        assert.equal(endpoint.calls, 1);
    });

    it('refuses a list whose certificate is not the serial it is listed under', () => {
        const body = certificateListBody([{ pem: parties.platform.cert, effectiveTime: new Date(), expireTime: new Date(Date.now() + DAY) }], parties.apiV3Key)
            .replace(parties.platform.serial, next.serial);
        assert.throws(() => readCertificateList(body, parties.apiV3Key), /listed as .* has serial/);
    });

    it('keeps what it held when WeChat answers an error or an empty list (a merchant in public-key mode)', async () => {
        const { refresher, endpoint } = setUp();
        await refresher.refresh();
        endpoint.reply = () => ({ status: 404, headers: {}, body: JSON.stringify({ code: 'NOT_FOUND', message: '证书不存在' }) });
        await assert.rejects(refresher.refresh(), /WeChat answered 404 NOT_FOUND \(证书不存在\)/);
        endpoint.reply = (body) => {
            const empty = body.replace(/"data":\[.*\]/, '"data":[]');
            return { status: 200, headers: signReply(empty, parties.platform), body: empty };
        };
        await assert.rejects(refresher.refresh(), /the list is empty/);
        assert.deepEqual(refresher.keys().map((key) => key.serial), [parties.platform.serial]);
    });

    it('makes one download for any number of callers at once', async () => {
        const { refresher, endpoint } = setUp();
        const release = endpoint.hold();
        const waiting = Promise.all(Array.from({ length: 20 }, () => refresher.refresh()));
        release();
        const results = await waiting;
        assert.equal(endpoint.calls, 1);
        assert.ok(results.every((held) => held === results[0]));
    });

    it('follows a rotation with no restart: the first notification signed by the new certificate refreshes once and is accepted', async () => {
        const { refresher, endpoint, verifier, time } = setUp();
        await refresher.refresh();
        time.advance(60_000);
        // WeChat lists the new certificate beside the old, then signs with it.
        endpoint.listed = [parties.platform, next];
        const accepted = await verifyRefreshing(verifier, notice(next, time.now), refresher);
        assert.equal(accepted.serial, next.serial);
        assert.equal(endpoint.calls, 2);
        // Both are held; notifications signed by either verify without a download.
        assert.equal((await verifyRefreshing(verifier, notice(parties.platform, time.now), refresher)).serial, parties.platform.serial);
        assert.equal((await verifyRefreshing(verifier, notice(next, time.now), refresher)).serial, next.serial);
        assert.equal(endpoint.calls, 2);
    });

    it('follows a rotation it slept through: the old certificate gone from the list, the download signed by the new one', async () => {
        const { refresher, endpoint, verifier, time } = setUp();
        await refresher.refresh();
        time.advance(DAY);
        endpoint.listed = [next];
        endpoint.signer = next;
        assert.equal((await verifyRefreshing(verifier, notice(next, time.now), refresher)).serial, next.serial);
        assert.deepEqual(refresher.keys().map((key) => key.serial), [next.serial]);
    });

    it('bounds the downloads a flood of unknown serials causes: one per interval, whatever their number', async () => {
        const { refresher, endpoint, verifier, time, failures } = setUp({ unknownSerialIntervalMs: 20_000 });
        await refresher.refresh();
        const forgers = Array.from({ length: 5 }, () => parties.nextPlatformCertificate());
        const flood = async () => Promise.all(forgers.flatMap((forger) => Array.from({ length: 10 }, () => verifyRefreshing(verifier, notice(forger, time.now), refresher).then(
            () => assert.fail('a forged serial was accepted'),
            (error: unknown) => assert.ok(error instanceof UnknownSerialError),
        ))));
        await flood();
        // The first refresh was under 20 s ago: none of the 50 may download.
        assert.equal(endpoint.calls, 1);
        // A minute of floods, a second apart: at most one download each 20 s.
        for (let second = 0; second < 60; second += 1) {
            time.advance(1000);
            await flood();
        }
        assert.equal(endpoint.calls, 1 + 3);
        assert.deepEqual(failures, []);
    });

    it('never downloads for a public key id: those are configured, not listed', async () => {
        const { refresher, endpoint } = setUp();
        assert.equal(await refresher.refreshForUnknownSerial(readKeyName('PUB_KEY_ID_0001')!), false);
        assert.equal(endpoint.calls, 0);
    });

    it('in the switch-over, takes a download signed with the public key, and verifies notifications signed by either', async () => {
        const publicKey = new KeyRing([publicKeyEntry(parties.wechatPublicKey.serial, parties.wechatPublicKey.pem)]);
        const { refresher, endpoint, time } = setUp({ alsoTrusted: publicKey });
        endpoint.signer = parties.wechatPublicKey;
        endpoint.listed = [parties.platform];
        await refresher.refresh();
        const switchOver = new SignatureVerifier(combinedKeys(refresher, publicKey), { now: time.now });
        assert.equal((await verifyRefreshing(switchOver, notice(parties.platform, time.now), refresher)).kind, 'certificate');
        assert.equal((await verifyRefreshing(switchOver, notice(parties.wechatPublicKey, time.now), refresher)).kind, 'public-key');
        assert.equal(endpoint.calls, 1);
    });

    it('refreshes on its timer until stopped, reporting a failed refresh and keeping what it held', async (t) => {
        t.mock.timers.enable({ apis: ['setInterval'] });
        const { refresher, endpoint, failures } = setUp({ refreshEveryMs: 60_000 });
        refresher.start();
        t.mock.timers.tick(60_000);
        await refresher.refresh();
        assert.equal(endpoint.calls, 1);
        endpoint.reply = () => ({ status: 500, headers: {}, body: '{"code":"SYSTEM_ERROR","message":"系统错误"}' });
        t.mock.timers.tick(60_000);
        await refresher.refresh().catch(() => undefined);
        assert.equal(endpoint.calls, 2);
        assert.match(String(failures[0]), /SYSTEM_ERROR/);
        assert.equal(refresher.keys().length, 1);
        refresher.stop();
        t.mock.timers.tick(600_000);
        assert.equal(endpoint.calls, 2);
    });
});
