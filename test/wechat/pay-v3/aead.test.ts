import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';

import { AEAD_AES_256_GCM, ApiV3Key, decryptResource, encryptResource } from '../../../src/wechat/pay-v3/aead';
import { ApiV3KeyError, ResourceDecryptError } from '../../../src/wechat/pay-v3/errors';

// A notification's resource and the platform certificates come AEAD_AES_256_GCM-encrypted under
// the 32-byte APIv3 key: nothing reads as plaintext unless the key, nonce, associated data, text
// and tag are all as WeChat made them.

const KEY_TEXT = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
const key = ApiV3Key.from(KEY_TEXT);
const TRANSACTION = JSON.stringify({ mchid: '1900000109', out_trade_no: 'T1', trade_state: 'SUCCESS', amount: { total: 100, payer_total: 90 } });

describe('AEAD_AES_256_GCM resources', () => {
    it('round-trips what the simulator encrypts, with a fresh 12-character nonce each time', () => {
        const first = encryptResource(TRANSACTION, key, 'transaction', { originalType: 'transaction' });
        const second = encryptResource(TRANSACTION, key, 'transaction');
        assert.equal(first.algorithm, AEAD_AES_256_GCM);
        assert.equal(first.original_type, 'transaction');
        assert.equal(first.nonce.length, 12);
        assert.notEqual(first.nonce, second.nonce);
        assert.notEqual(first.ciphertext, second.ciphertext);
        assert.equal(decryptResource(first, key), TRANSACTION);
        assert.equal(decryptResource(second, key), TRANSACTION);
    });

    it('carries the tag as the ciphertext\'s last 16 bytes', () => {
        const resource = encryptResource('', key, 'transaction');
        assert.equal(Buffer.from(resource.ciphertext, 'base64').length, 16);
        assert.equal(decryptResource(resource, key), '');
    });

    it('refuses another APIv3 key, with a named error that carries neither key nor plaintext', () => {
        const resource = encryptResource(TRANSACTION, key, 'transaction');
        assert.throws(() => decryptResource(resource, ApiV3Key.from('b'.repeat(32))), (error: unknown) => {
            assert.ok(error instanceof ResourceDecryptError);
            assert.doesNotMatch(error.message, new RegExp(`${KEY_TEXT}|out_trade_no|bbbb`));
            return true;
        });
    });

    it('refuses a tampered tag, text, nonce or associated data', () => {
        const resource = encryptResource(TRANSACTION, key, 'transaction');
        const flipped = (at: (bytes: Buffer) => number) => {
            const bytes = Buffer.from(resource.ciphertext, 'base64');
            bytes[at(bytes)] ^= 0x01;
            return { ...resource, ciphertext: bytes.toString('base64') };
        };
        assert.throws(() => decryptResource(flipped((bytes) => bytes.length - 1), key), ResourceDecryptError);
        assert.throws(() => decryptResource(flipped(() => 0), key), ResourceDecryptError);
        const otherNonce = `${resource.nonce.slice(0, 11)}${resource.nonce.endsWith('A') ? 'B' : 'A'}`;
        assert.throws(() => decryptResource({ ...resource, nonce: otherNonce }, key), ResourceDecryptError);
        assert.throws(() => decryptResource({ ...resource, associated_data: 'refund' }, key), ResourceDecryptError);
        const { associated_data: _dropped, ...withoutAad } = resource;
        assert.throws(() => decryptResource(withoutAad, key), ResourceDecryptError);
    });

    it('refuses what is not a GCM resource: another algorithm, text that is not base64, a text shorter than its tag, no nonce', () => {
        const resource = encryptResource(TRANSACTION, key, 'transaction');
        assert.throws(() => decryptResource({ ...resource, algorithm: 'AEAD_AES_128_GCM' }, key), /is not AEAD_AES_256_GCM/);
        assert.throws(() => decryptResource({ ...resource, ciphertext: `${resource.ciphertext.slice(0, -4)}@@@@` }, key), /not base64/);
        assert.throws(() => decryptResource({ ...resource, ciphertext: 'AAAA' }, key), /shorter than its 16-byte tag/);
        assert.throws(() => decryptResource({ ...resource, nonce: '' }, key), /nonce is missing/);
    });
});

describe('ApiV3Key', () => {
    it('is exactly 32 bytes: 31, 33, and 32 characters that make more bytes are refused', () => {
        for (const text of ['a'.repeat(31), 'a'.repeat(33), `${'a'.repeat(30)}密`, '']) {
            assert.throws(() => ApiV3Key.from(text), ApiV3KeyError, text);
        }
        assert.throws(() => ApiV3Key.from('a'.repeat(31)), /exactly 32 bytes, not 31/);
    });

    it('never shows the key in a log line, JSON or inspection', () => {
        for (const shown of [String(key), JSON.stringify({ key }), inspect({ key }), `${key}`]) {
            assert.doesNotMatch(shown, new RegExp(KEY_TEXT));
            assert.match(shown, /\[ApiV3Key\]/);
        }
    });
});
