/** How much a cache may hold and for how long. A ttlMs of 0 turns caching off. */
export interface CacheLimits {
    readonly ttlMs: number;
    readonly maxEntries: number;
}

interface Entry<V> {
    readonly value: Promise<V>;
    readonly expiresAt: number;
}

/**
 * A bounded, expiring cache for read-mostly data (shops, goods, a token's user), one per
 * server instance: an entry is at most ttlMs old, so a change in the database shows
 * everywhere within ttlMs. It holds the load's promise, so concurrent misses for one key
 * make one query. Values are shared between callers: keep them frozen.
 */
export class ReadCache<K, V> {
    private readonly entries = new Map<K, Entry<V>>();

    constructor(private readonly limits: CacheLimits) {}

    /**
     * The value for key, loaded by load() when missing or expired. A load that fails, or
     * whose value `keep` refuses (e.g. "not found"), is not kept: the next call asks again.
     */
    get(key: K, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
        if (this.limits.ttlMs === 0) {
            return load();
        }
        const now = Date.now();
        const cached = this.entries.get(key);
        if (cached !== undefined && cached.expiresAt > now) {
            return cached.value;
        }
        // Deleted first, so a reloaded key moves to the newest end of the eviction order.
        this.entries.delete(key);
        const value = load();
        this.entries.set(key, { value, expiresAt: now + this.limits.ttlMs });
        if (this.entries.size > this.limits.maxEntries) {
            // Maps iterate in insertion order: the first key is the oldest entry.
            this.entries.delete(this.entries.keys().next().value as K);
        }
        const forget = () => {
            if (this.entries.get(key)?.value === value) {
                this.entries.delete(key);
            }
        };
        value.then((loaded) => !keep(loaded) && forget(), forget);
        return value;
    }
}
