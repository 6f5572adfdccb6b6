import Joi from 'joi';

import type { ConfigSection } from './settings';

export interface NotificationConfig {
    /** Bodies larger than this are refused (413) before anything reads them; WeChat's are under 2 KB. */
    readonly maxBytes: number;
    /** Deliveries whose signature did not verify are purged after this long… */
    readonly unverifiedRetentionHours: number;
    /** …and beyond this many, oldest first, so a flood of junk costs bounded disk. */
    readonly unverifiedMaxRows: number;
    /** How often the purge runs; 0 switches it off. */
    readonly purgeIntervalMs: number;
}

export const notifications: ConfigSection<NotificationConfig> = {
    keys: {
        NOTIFY_MAX_BYTES: Joi.number().integer().min(2048).max(1024 * 1024).default(16 * 1024),
        NOTIFY_UNVERIFIED_RETENTION_HOURS: Joi.number().integer().min(1).default(7 * 24),
        NOTIFY_UNVERIFIED_MAX_ROWS: Joi.number().integer().min(100).default(100_000),
        NOTIFY_PURGE_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
    },
    read: (settings) => ({
        maxBytes: settings.NOTIFY_MAX_BYTES,
        unverifiedRetentionHours: settings.NOTIFY_UNVERIFIED_RETENTION_HOURS,
        unverifiedMaxRows: settings.NOTIFY_UNVERIFIED_MAX_ROWS,
        purgeIntervalMs: settings.NOTIFY_PURGE_INTERVAL_MS,
    }),
};
