import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ReadCache } from '../../src/services/read-cache';

/** A load that counts its calls and answers `value`. */
function counted<V>(value: V) {
    const load = async () => {
        load.calls += 1;
        return value;
    };
    load.calls = 0;
    return load;
}

describe('ReadCache: bounded in size and lifetime', () => {
    it('loads a key once while it is fresh, concurrent misses included', async () => {
        const cache = new ReadCache<string, number>({ ttlMs: 60_000, maxEntries: 10 });
        const load = counted(7);
        assert.deepEqual(await Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)]), [7, 7, 7]);
        assert.equal(await cache.get('a', load), 7);
        assert.equal(load.calls, 1);
    });

    it('loads again once the ttl has passed', async () => {
        const cache = new ReadCache<string, number>({ ttlMs: 20, maxEntries: 10 });
        const load = counted(1);
        await cache.get('a', load);
        await new Promise((resolve) => setTimeout(resolve, 60));
        await cache.get('a', load);
        assert.equal(load.calls, 2);
    });

    it('holds at most maxEntries, dropping the oldest first', async () => {
        const cache = new ReadCache<number, number>({ ttlMs: 60_000, maxEntries: 2 });
        const load = counted(0);
        for (const key of [1, 2, 3]) {
            await cache.get(key, load);
        }
        await cache.get(3, load);
        await cache.get(2, load);
        assert.equal(load.calls, 3, 'keys 2 and 3 are still held');
        await cache.get(1, load);
        assert.equal(load.calls, 4, 'key 1 was dropped');
    });

    it('keeps neither a failed load nor a value `keep` refuses', async () => {
        const cache = new ReadCache<string, number | null>({ ttlMs: 60_000, maxEntries: 10 });
        await assert.rejects(cache.get('a', async () => {
            throw new Error('database down');
        }));
        assert.equal(await cache.get('a', async () => 1), 1);

        const missing = counted<number | null>(null);
        await cache.get('b', missing, (value) => value !== null);
        await cache.get('b', missing, (value) => value !== null);
        assert.equal(missing.calls, 2);
    });

    it('caches nothing with a ttl of 0', async () => {
        const cache = new ReadCache<string, number>({ ttlMs: 0, maxEntries: 10 });
        const load = counted(1);
        await cache.get('a', load);
        await cache.get('a', load);
        assert.equal(load.calls, 2);
    });
});
