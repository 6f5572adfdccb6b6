import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { decodeBase64 } from './base64';
import { ApiV3KeyError, ResourceDecryptError } from './errors';

// AEAD_AES_256_GCM, as WeChat encrypts a notification's `resource` and the platform certificates:
// key = the APIv3 key's 32 bytes, IV = the nonce's bytes (12 characters), AAD = associated_data,
// ciphertext = base64(encrypted bytes followed by the 16-byte tag).

export const AEAD_AES_256_GCM = 'AEAD_AES_256_GCM';

const KEY_BYTES = 32;
const TAG_BYTES = 16;

/** An `encrypt_certificate` or notification `resource`, as WeChat sends it. */
export interface EncryptedResource {
    readonly algorithm: string;
    readonly ciphertext: string;
    readonly nonce: string;
    readonly associated_data?: string;
    readonly original_type?: string;
}

/** The bytes of each key, reachable from this module only. */
const keyBytes = new WeakMap<ApiV3Key, Buffer>();

/** The APIv3 key, checked once; it never prints (inspect, JSON and template strings show its name only). */
export class ApiV3Key {
    private constructor(bytes: Buffer) {
        keyBytes.set(this, bytes);
    }

    /** The key as the merchant platform shows it: 32 characters, taken as their UTF-8 bytes. */
    static from(text: string): ApiV3Key {
        const bytes = Buffer.from(text, 'utf8');
        if (bytes.length !== KEY_BYTES) {
            throw new ApiV3KeyError(bytes.length);
        }
        return new ApiV3Key(bytes);
    }

    toString(): string {
        return '[ApiV3Key]';
    }

    toJSON(): string {
        return this.toString();
    }

    [inspect.custom](): string {
        return this.toString();
    }
}

/** The plaintext (UTF-8) of `resource`; a ResourceDecryptError for any wrong key, tag, nonce, AAD or form. */
export function decryptResource(resource: EncryptedResource, key: ApiV3Key): string {
    if (resource.algorithm !== AEAD_AES_256_GCM) {
        throw new ResourceDecryptError(`algorithm ${String(resource.algorithm).slice(0, 40)} is not ${AEAD_AES_256_GCM}`);
    }
    if (typeof resource.nonce !== 'string' || resource.nonce === '') {
        throw new ResourceDecryptError('nonce is missing');
    }
    const bytes = typeof resource.ciphertext === 'string' ? decodeBase64(resource.ciphertext) : undefined;
    if (bytes === undefined) {
        throw new ResourceDecryptError('ciphertext is not base64');
    }
    if (bytes.length < TAG_BYTES) {
        throw new ResourceDecryptError('ciphertext is shorter than its 16-byte tag');
    }
    try {
        const decipher = createDecipheriv('aes-256-gcm', bytesOf(key), Buffer.from(resource.nonce, 'utf8'), { authTagLength: TAG_BYTES });
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    }
    catch {
        // GCM says only "unable to authenticate": a wrong key and a tampered message look alike, by design.
        throw new ResourceDecryptError('authentication failed (wrong APIv3 key, or ciphertext, tag, nonce or associated_data changed)');
    }
}

/** The simulator's side: `plaintext` encrypted as WeChat does, under a fresh 12-character nonce unless one is given. */
export function encryptResource(plaintext: string, key: ApiV3Key, associatedData: string, options: { nonce?: string; originalType?: string } = {}): EncryptedResource {
    // 9 random bytes make 12 base64url characters: 72 bits, so nonces do not repeat under one key.
    const nonce = options.nonce ?? randomBytes(9).toString('base64url');
    const cipher = createCipheriv('aes-256-gcm', bytesOf(key), Buffer.from(nonce, 'utf8'), { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return {
        algorithm: AEAD_AES_256_GCM,
        ciphertext: encrypted.toString('base64'),
        nonce,
        associated_data: associatedData,
        ...(options.originalType === undefined ? {} : { original_type: options.originalType }),
    };
}

function bytesOf(key: ApiV3Key): Buffer {
    const bytes = keyBytes.get(key);
    if (bytes === undefined) {
        throw new TypeError('not an ApiV3Key made by ApiV3Key.from');
    }
    return bytes;
}
