import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureDevCertificates, ensureDevWechatPayV3Keys, issueDevPlatformCertificate, type DevCertificates } from '../../src/simulator/dev-certificates';
import { ApiV3Key } from '../../src/wechat/pay-v3/aead';
import { merchantIdentity, type MerchantIdentity } from '../../src/wechat/pay-v3/merchant-identity';
import type { SigningKey } from '../../src/wechat/pay-v3/reply-signature';

/** A WeChat platform certificate with the private key WeChat signs under it. */
export interface PlatformKey extends SigningKey {
    readonly cert: string;
    readonly publicKey: KeyObject;
}

/**
 * Both sides of APIv3 from the development material, in a folder of its own: the merchant (its
 * certificate, key and APIv3 key) and WeChat (its platform certificate, its public key and their
 * private halves). Every key is a real RSA-2048 key made by the code the simulator uses.
 */
export interface V3Parties {
    readonly mchId: string;
    readonly merchantCertificate: DevCertificates['merchant'];
    readonly merchant: MerchantIdentity;
    readonly merchantPublicKey: KeyObject;
    readonly apiV3KeyText: string;
    readonly apiV3Key: ApiV3Key;
    readonly platform: PlatformKey;
    readonly wechatPublicKey: SigningKey & { readonly pem: string; readonly publicKey: KeyObject };
    /** Another platform certificate from the same CA: WeChat's next one, for rotations. */
    nextPlatformCertificate(): PlatformKey;
    remove(): void;
}

export function makeV3Parties(mchId = '1900000109'): V3Parties {
    const folder = mkdtempSync(join(tmpdir(), 'wechatpay-v3-'));
    const certificates = ensureDevCertificates(folder, mchId);
    const keys = ensureDevWechatPayV3Keys(folder, mchId);
    const platformKey = (pair: { cert: string; key: string; serial: string }): PlatformKey => ({
        serial: pair.serial,
        cert: pair.cert,
        privateKey: createPrivateKey(pair.key),
        publicKey: createPublicKey(pair.cert),
    });
    return {
        mchId,
        merchantCertificate: certificates.merchant,
        merchant: merchantIdentity(mchId, certificates.merchant),
        merchantPublicKey: createPublicKey(certificates.merchant.cert),
        apiV3KeyText: keys.apiV3Key,
        apiV3Key: ApiV3Key.from(keys.apiV3Key),
        platform: platformKey(keys.platform),
        wechatPublicKey: {
            serial: keys.publicKey.id,
            pem: keys.publicKey.pem,
            privateKey: createPrivateKey(keys.publicKey.privateKey),
            publicKey: createPublicKey(keys.publicKey.pem),
        },
        nextPlatformCertificate: () => platformKey(issueDevPlatformCertificate(folder)),
        remove: () => rmSync(folder, { recursive: true, force: true }),
    };
}
