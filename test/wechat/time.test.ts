import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fromBeijingCompact, fromRfc3339, toBeijingCompact, toBeijingRfc3339, unixSeconds } from '../../src/wechat/time';

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

describe('toBeijingRfc3339 and fromRfc3339 (APIv3 times)', () => {
    it('writes Beijing time with +08:00, crossing midnight, and reads it back to the same instant', () => {
        const instant = new Date('2026-12-07T10:30:00Z');
        assert.equal(toBeijingRfc3339(instant), '2026-12-07T18:30:00+08:00');
        assert.equal(toBeijingRfc3339(new Date('2026-12-31T16:00:01Z')), '2027-01-01T00:00:01+08:00');
        assert.equal(fromRfc3339('2026-12-07T18:30:00+08:00')?.toISOString(), '2026-12-07T10:30:00.000Z');
        assert.equal(fromRfc3339(toBeijingRfc3339(instant))?.getTime(), instant.getTime());
    });

    it('reads other offsets, Z and fractions of a second as the instants they name', () => {
        assert.equal(fromRfc3339('2026-12-07T10:30:00Z')?.toISOString(), '2026-12-07T10:30:00.000Z');
        assert.equal(fromRfc3339('2026-12-07T05:00:00-05:30')?.toISOString(), '2026-12-07T10:30:00.000Z');
        assert.equal(fromRfc3339('2026-12-07T18:30:00.250+08:00')?.toISOString(), '2026-12-07T10:30:00.250Z');
    });

    it('rejects times that do not exist and text that is not RFC 3339', () => {
        for (const text of [
            '2026-02-29T00:00:00+08:00', '2026-12-07T24:00:00+08:00', '2026-12-07T18:60:00+08:00', '2026-13-01T00:00:00+08:00',
            '2026-12-07 18:30:00+08:00', '2026-12-07T18:30:00', '2026-12-07T18:30:00+0800', '2026-12-07T18:30:00+24:00', '20261207183000', '',
        ]) {
            assert.equal(fromRfc3339(text), undefined, text);
        }
    });
});
