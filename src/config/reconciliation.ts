import Joi from 'joi';

import type { ConfigSection } from './settings';

/** WeChat has a day's bill ready by 10:00 Beijing time the next day. */
const DEFAULT_BILL_READY_HOUR = 10;

/** About 790,000 rows of ~340 bytes (a 39-character goods name): room for a very busy shop's day. */
const DEFAULT_BILL_MAX_BYTES = 256 * 1024 * 1024;

export interface ReconciliationConfig {
    /**
     * The Beijing hour from which WeChat's bill of the day before is ready: the daily run asks
     * for it then, and no report of a day is made earlier.
     */
    readonly billReadyHour: number;
    /** Whether the daily run is on (RECONCILE_BILL_HOUR=0 switches it off; reports can still be asked for). */
    readonly daily: boolean;
    /** A bill larger than this (its text, and its download) is refused, with an alert: a day's is read as a stream, never held whole. */
    readonly billMaxBytes: number;
}

export const reconciliation: ConfigSection<ReconciliationConfig> = {
    keys: {
        RECONCILE_BILL_HOUR: Joi.number().integer().min(0).max(23).default(DEFAULT_BILL_READY_HOUR),
        RECONCILE_BILL_MAX_BYTES: Joi.number().integer().min(64 * 1024).max(4 * 1024 ** 3).default(DEFAULT_BILL_MAX_BYTES),
    },
    read: (settings) => ({
        billReadyHour: settings.RECONCILE_BILL_HOUR || DEFAULT_BILL_READY_HOUR,
        daily: settings.RECONCILE_BILL_HOUR > 0,
        billMaxBytes: settings.RECONCILE_BILL_MAX_BYTES,
    }),
};
