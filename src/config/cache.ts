import Joi from 'joi';

import type { ConfigSection } from './settings';

/** Read-mostly data (shops, goods, a token's user) kept per instance: at most this old, at most this many per cache. */
export interface CacheConfig {
    readonly ttlMs: number;
    readonly maxEntries: number;
}

export const cache: ConfigSection<CacheConfig> = {
    keys: {
        CACHE_TTL_MS: Joi.number().integer().min(0).max(3_600_000).default(10_000),
        CACHE_MAX_ENTRIES: Joi.number().integer().min(1).max(1_000_000).default(10_000),
    },
    read: (settings) => ({ ttlMs: settings.CACHE_TTL_MS, maxEntries: settings.CACHE_MAX_ENTRIES }),
};
