import type { RateLimitStore, WindowCount } from './rate-limiter';

/** About 100 bytes a key: the counters of 100,000 callers in a window stay near 10 MB. */
const DEFAULT_MAX_KEYS = 100_000;

interface Window {
    count: number;
    readonly endsAt: number;
}

export interface MemoryStoreOptions {
    readonly maxKeys?: number;
    readonly now?: () => number;
}

/**
 * Counters in this process only: with several instances each has its own budget. Bounded:
 * windows are kept in the order they opened, so the expired ones are dropped from the front
 * as time passes, and at `maxKeys` the oldest window is forgotten (its caller starts afresh).
 */
export class MemoryRateLimitStore implements RateLimitStore {
    private readonly windows = new Map<string, Window>();
    private readonly maxKeys: number;
    private readonly now: () => number;

    constructor({ maxKeys = DEFAULT_MAX_KEYS, now = Date.now }: MemoryStoreOptions = {}) {
        this.maxKeys = maxKeys;
        this.now = now;
    }

    /** Keys held: never more than maxKeys. */
    get size(): number {
        return this.windows.size;
    }

    async hit(key: string, windowMs: number): Promise<WindowCount> {
        const now = this.now();
        this.dropExpired(now);
        let window = this.windows.get(key);
        if (window !== undefined && window.endsAt <= now) {
            // Behind a longer-lived window at the front; it reopens at the back, in order.
            this.windows.delete(key);
            window = undefined;
        }
        if (window === undefined) {
            if (this.windows.size >= this.maxKeys) {
                this.windows.delete(this.windows.keys().next().value!);
            }
            window = { count: 0, endsAt: now + windowMs };
            this.windows.set(key, window);
        }
        window.count += 1;
        return { count: window.count, resetInMs: window.endsAt - now };
    }

    async close(): Promise<void> {
        this.windows.clear();
    }

    private dropExpired(now: number): void {
        for (const [key, window] of this.windows) {
            if (window.endsAt > now) {
                return;
            }
            this.windows.delete(key);
        }
    }
}
