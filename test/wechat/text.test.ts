import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { truncateUtf8 } from '../../src/wechat/text';

// unifiedorder's body is at most 127 bytes of UTF-8; a Chinese character is 3 of them.

describe('truncateUtf8', () => {
    it('cuts Chinese text to 127 bytes on a character boundary', () => {
        const body = '微信小程序商城订单'.repeat(10); // 90 characters, 270 bytes
        const cut = truncateUtf8(body, 127);
        assert.equal(Buffer.byteLength(cut, 'utf8'), 126); // 42 characters; a 43rd would make 129
        assert.equal(cut, body.slice(0, 42));
    });

    it('never splits a surrogate pair', () => {
        assert.equal(truncateUtf8('ab😀', 5), 'ab');
        assert.equal(truncateUtf8('ab😀', 6), 'ab😀');
    });

    it('leaves short text alone', () => {
        assert.equal(truncateUtf8('test 测试', 127), 'test 测试');
        assert.equal(truncateUtf8('', 127), '');
    });
});
