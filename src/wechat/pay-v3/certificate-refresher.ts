import type { ApiV3Key } from './aead';
import { CertificateDownloadError, SignatureRefusal, UnknownSerialError } from './errors';
import { readErrorReply } from './error-reply';
import { readCertificateList, type PlatformCertificate } from './platform-certificates';
import { readSignedReply, type HeaderBag } from './reply-signature';
import type { KeyName } from './serial';
import { SignatureVerifier, type SignedMessage } from './verifier';
import { combinedKeys, KeyRing, type KeyLookup, type VerificationKey } from './verification-keys';

/** What the injected download of GET /v3/certificates returned: the raw reply, nothing trusted yet. */
export interface CertificateDownload {
    readonly status: number;
    readonly headers: HeaderBag;
    /** The body exactly as received: the signature covers these bytes. */
    readonly body: string | Buffer;
}

export interface RefresherOptions {
    /** Signs and sends GET /v3/certificates (with its own timeout); the refresher does no I/O itself. */
    readonly download: () => Promise<CertificateDownload>;
    readonly apiV3Key: ApiV3Key;
    /** Other keys WeChat may sign the download with: the public key, during the switch-over. */
    readonly alsoTrusted?: KeyLookup;
    /** Milliseconds since the epoch. */
    readonly now?: () => number;
    /** The scheduled refresh (start()); WeChat lists a new certificate well before signing with it. */
    readonly refreshEveryMs?: number;
    /** The least time between downloads an unknown serial may cause: a flood of forged serials makes at most 60 s / this a minute. */
    readonly unknownSerialIntervalMs?: number;
    /** A scheduled or unknown-serial refresh that failed (the certificates held stay): for the log. */
    readonly onRefreshFailed?: (error: Error) => void;
}

export const DEFAULT_REFRESH_EVERY_MS = 60 * 60 * 1000;
export const DEFAULT_UNKNOWN_SERIAL_INTERVAL_MS = 20 * 1000;

/**
 * The platform certificates held, and how they are kept current: downloaded on a timer, and on the
 * first signature naming a serial not held (WeChat has rotated: a new certificate listed beside the
 * old, then signing with it, possibly while this process was idle). One download at a time, callers
 * joining it; unknown serials start one at most every `unknownSerialIntervalMs`; a download that
 * cannot be verified changes nothing.
 *
 * Which key verifies the download itself. Held keys first (the certificates already held, and
 * `alsoTrusted`). When the reply is signed by a certificate not held, as on the very first download,
 * or after a rotation this process slept through, it is verified with that certificate as found in
 * the download itself, as wechatpay-java's and wechatpay-go's downloaders do. That is sound because
 * each certificate arrives AES-GCM-encrypted under the APIv3 key, which only WeChat and this
 * merchant hold: a forger without it cannot put a certificate in the list (the tag fails), so a
 * reply that verifies with a listed certificate was signed by the holder of a certificate WeChat
 * sent. Refusing instead would leave a new merchant (nothing held yet) and a process that slept
 * through a rotation unable ever to start verifying.
 */
export class PlatformCertificateRefresher implements KeyLookup {
    private held: readonly PlatformCertificate[] = [];
    private ring = new KeyRing([]);
    private inFlight: Promise<readonly PlatformCertificate[]> | undefined;
    private lastDownloadStartedAt = Number.NEGATIVE_INFINITY;
    private timer: NodeJS.Timeout | undefined;
    private readonly now: () => number;

    constructor(private readonly options: RefresherOptions) {
        this.now = options.now ?? Date.now;
    }

    keyFor(name: KeyName): VerificationKey | undefined {
        return this.ring.keyFor(name);
    }

    keys(): readonly VerificationKey[] {
        return this.ring.keys();
    }

    /** The certificates held, with WeChat's effective and expiry times (for /health and alerts). */
    certificates(): readonly PlatformCertificate[] {
        return this.held;
    }

    /**
     * Downloads now, or joins the download under way: the certificates held afterwards. Rejects with a
     * CertificateDownloadError for a reply that is not usable, or with the download's own error (timeout, network).
     */
    refresh(): Promise<readonly PlatformCertificate[]> {
        this.inFlight ??= this.download().finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }

    /**
     * A signature named `name` and no held key has it: refresh, within the bound, and say whether it
     * is held now. Never throws; a failed download goes to onRefreshFailed.
     */
    async refreshForUnknownSerial(name: KeyName): Promise<boolean> {
        // A public key id is configured, never downloaded.
        if (name.kind !== 'certificate') {
            return false;
        }
        if (this.keyFor(name) === undefined && (this.inFlight !== undefined || this.now() - this.lastDownloadStartedAt >= this.intervalForUnknown())) {
            await this.refresh().catch((error: Error) => this.options.onRefreshFailed?.(error));
        }
        return this.keyFor(name) !== undefined;
    }

    /** Refreshes every `refreshEveryMs` until stop(); the timer does not hold the process open. */
    start(): void {
        this.stop();
        this.timer = setInterval(() => {
            this.refresh().catch((error: Error) => this.options.onRefreshFailed?.(error));
        }, this.options.refreshEveryMs ?? DEFAULT_REFRESH_EVERY_MS);
        this.timer.unref();
    }

    stop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }

    private intervalForUnknown(): number {
        return this.options.unknownSerialIntervalMs ?? DEFAULT_UNKNOWN_SERIAL_INTERVAL_MS;
    }

    private async download(): Promise<readonly PlatformCertificate[]> {
        this.lastDownloadStartedAt = this.now();
        const reply = await this.options.download();
        if (reply.status !== 200) {
            const error = readErrorReply(reply.status, reply.body);
            throw new CertificateDownloadError(`WeChat answered ${reply.status} ${error.code ?? ''}${error.message ? ` (${error.message})` : ''}`.replace(/ +/g, ' ').trim());
        }
        const listed = readCertificateList(reply.body, this.options.apiV3Key);
        if (listed.length === 0) {
            throw new CertificateDownloadError('the list is empty (a merchant in public-key mode has no platform certificates)');
        }
        const trusted = [this.ring, ...(this.options.alsoTrusted ? [this.options.alsoTrusted] : []), new KeyRing(listed)];
        try {
            new SignatureVerifier(combinedKeys(...trusted), { now: this.now }).verify(readSignedReply(reply.headers, reply.body));
        }
        catch (error) {
            if (error instanceof SignatureRefusal) {
                throw new CertificateDownloadError(`the reply is not verified: ${error.message}`);
            }
            throw error;
        }
        this.held = Object.freeze([...listed]);
        this.ring = new KeyRing(listed);
        return this.held;
    }
}

/**
 * Verifies `signed`; when it names a certificate not held, refreshes (bounded) and verifies once
 * more. Every other refusal, and an unknown serial still unknown, is thrown as it was.
 */
export async function verifyRefreshing(verifier: SignatureVerifier, signed: SignedMessage, refresher: PlatformCertificateRefresher | undefined): Promise<VerificationKey> {
    try {
        return verifier.verify(signed);
    }
    catch (error) {
        if (error instanceof UnknownSerialError && refresher !== undefined && await refresher.refreshForUnknownSerial(signed.key)) {
            return verifier.verify(signed);
        }
        throw error;
    }
}
