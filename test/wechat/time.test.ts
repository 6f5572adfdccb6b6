import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fromBeijingCompact, toBeijingCompact, unixSeconds } from '../../src/wechat/time';

// WeChat writes instants as yyyyMMddHHmmss in Beijing time (UTC+8), whatever the server's TZ.
// The process TZ is irrelevant by construction: every assertion starts from a UTC instant.

describe('toBeijingCompact', () => {
    it('writes Beijing time, crossing midnight into the next day', () => {
        assert.equal(toBeijingCompact(new Date('2026-11-27T16:30:00Z')), '20261128003000');
    });

    it('crosses the year boundary', () => {
        assert.equal(toBeijingCompact(new Date('2025-12-31T16:00:00.999Z')), '20260101000000');
    });
});

describe('fromBeijingCompact', () => {
    it('reads Beijing time back to the same instant', () => {
        assert.equal(fromBeijingCompact('20261128003000')?.toISOString(), '2026-11-27T16:30:00.000Z');
    });

    it('round-trips whole seconds', () => {
        const instant = new Date('2024-02-29T03:04:05Z');
        assert.equal(fromBeijingCompact(toBeijingCompact(instant))?.getTime(), instant.getTime());
    });

    it('rejects dates that do not exist and text that is not the format', () => {
        for (const text of ['20260230120000', '20261301000000', '20261128246000', '20261128003060', '2026112800300', '2026-11-28 00:30', '', 'abcdefghijklmn']) {
            assert.equal(fromBeijingCompact(text), undefined, text);
        }
    });
});

describe('unixSeconds', () => {
    it('gives whole seconds as a string, rounding down', () => {
        assert.equal(unixSeconds(new Date(1490840662999)), '1490840662');
    });
});
