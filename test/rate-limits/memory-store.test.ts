import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MemoryRateLimitStore } from '../../src/services/rate-limit-store-memory';

// Without REDIS_URL the counters live in the process: a window per key, opened by its first
// request, and a memory that stays bounded however many callers come and go.

describe('the in-process rate limit store', () => {
    const clock = () => {
        let now = 1_000_000;
        return { now: () => now, advance: (ms: number) => void (now += ms) };
    };

    it("counts a key's requests in the window its first request opened, then starts afresh", async () => {
        const time = clock();
        const store = new MemoryRateLimitStore({ now: time.now });
        assert.deepEqual(await store.hit('a', 60_000), { count: 1, resetInMs: 60_000 });
        time.advance(59_000);
        assert.deepEqual(await store.hit('a', 60_000), { count: 2, resetInMs: 1000 });
        time.advance(1000);
        assert.deepEqual(await store.hit('a', 60_000), { count: 1, resetInMs: 60_000 });
    });

    it('drops windows once they have expired', async () => {
        const time = clock();
        const store = new MemoryRateLimitStore({ now: time.now });
        for (let index = 0; index < 1000; index += 1) {
            await store.hit(`caller${index}`, 60_000);
        }
        assert.equal(store.size, 1000);
        time.advance(60_000);
        await store.hit('late', 60_000);
        assert.equal(store.size, 1);
    });

    it('holds at most maxKeys keys, forgetting the oldest window first', async () => {
        const store = new MemoryRateLimitStore({ maxKeys: 3 });
        for (const key of ['a', 'b', 'c', 'd', 'e']) {
            await store.hit(key, 60_000);
        }
        assert.equal(store.size, 3);
        assert.equal((await store.hit('e', 60_000)).count, 2, 'a recent key keeps its count');
        assert.equal((await store.hit('a', 60_000)).count, 1, 'the oldest was forgotten: it starts afresh');
    });

    it('keeps windows of different lengths apart: an expired one never counts on', async () => {
        const time = clock();
        const store = new MemoryRateLimitStore({ now: time.now });
        await store.hit('long', 60_000);
        await store.hit('short', 1000);
        time.advance(1000);
        assert.equal((await store.hit('short', 1000)).count, 1);
    });
});
