import Joi from 'joi';

import type { ConfigSection } from './settings';

/** WeChat has a day's bill ready by 10:00 Beijing time the next day. */
const DEFAULT_BILL_READY_HOUR = 10;

export interface ReconciliationConfig {
    /**
     * The Beijing hour from which WeChat's bill of the day before is ready: the daily run asks
     * for it then, and no report of a day is made earlier.
     */
    readonly billReadyHour: number;
    /** Whether the daily run is on (RECONCILE_BILL_HOUR=0 switches it off; reports can still be asked for). */
    readonly daily: boolean;
}

export const reconciliation: ConfigSection<ReconciliationConfig> = {
    keys: {
        RECONCILE_BILL_HOUR: Joi.number().integer().min(0).max(23).default(DEFAULT_BILL_READY_HOUR),
    },
    read: (settings) => ({
        billReadyHour: settings.RECONCILE_BILL_HOUR || DEFAULT_BILL_READY_HOUR,
        daily: settings.RECONCILE_BILL_HOUR > 0,
    }),
};
