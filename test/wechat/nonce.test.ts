import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { nonceStr } from '../../src/wechat/nonce';

// nonce_str and wx.requestPayment's nonceStr: drawn from the CSPRNG in batches, never repeated.

describe('nonceStr', () => {
    it('is 32 lower-case hex characters, never the same twice across several batches', () => {
        const nonces = Array.from({ length: 1000 }, () => nonceStr());
        for (const nonce of nonces) {
            assert.match(nonce, /^[0-9a-f]{32}$/);
        }
        assert.equal(new Set(nonces).size, nonces.length);
    });
});
