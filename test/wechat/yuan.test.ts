import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { fenToYuan, yuanToFen, YuanError } from '../../src/wechat/yuan';

// Money is integer fen; WeChat's bill writes yuan. Both ways go by string arithmetic, so
// 0.29 yuan is 29 fen (not 28.999… as 0.29 * 100 is in floating point).

describe('fenToYuan and yuanToFen', () => {
    it('write fen as yuan with two decimals', () => {
        assert.deepEqual([1999, 5, 0, 100, -5, 123456789].map(fenToYuan), ['19.99', '0.05', '0.00', '1.00', '-0.05', '1234567.89']);
    });

    it('read yuan with up to two decimals as fen', () => {
        assert.deepEqual(['0.29', '19.9', '19', '0.00', '-0.05', '100.07', '0.0'].map(yuanToFen), [29, 1990, 1900, 0, -5, 10007, 0]);
    });

    it('round-trip every amount', () => {
        fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => yuanToFen(fenToYuan(fen)) === fen));
    });

    it('refuse what is not yuan to two decimals, and fen that are not whole', () => {
        for (const text of ['1.999', '1e2', ' 1', '', '.5', '1.', '1,00', '0x10', '--1']) {
            assert.throws(() => yuanToFen(text), YuanError, text);
        }
        assert.throws(() => fenToYuan(1.5), YuanError);
    });
});
