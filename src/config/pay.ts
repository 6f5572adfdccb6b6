import Joi from 'joi';

import { limit, type ConfigSection } from './settings';

export interface PayConfig {
    /** How long an unpaid order may be paid; sent to WeChat as time_expire. */
    readonly orderLifetimeMinutes: number;
    /** GET /orders/{id} asks WeChat about an unpaid order at most this often. */
    readonly orderQueryThrottleMs: number;
    /** How often the reconciler runs; 0 switches it off. */
    readonly reconcileIntervalMs: number;
    /** POST /orders is refused while the user holds this many unpaid, unexpired orders; 0: no cap. */
    readonly maxUnpaidPerUser: number;
}

export const pay: ConfigSection<PayConfig> = {
    keys: {
        ORDER_LIFETIME_MINUTES: Joi.number().integer().min(5).max(7 * 24 * 60).default(30),
        ORDER_QUERY_THROTTLE_MS: Joi.number().integer().min(0).default(5000),
        RECONCILE_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
        ORDER_MAX_UNPAID_PER_USER: limit(10),
    },
    read: (settings) => ({
        orderLifetimeMinutes: settings.ORDER_LIFETIME_MINUTES,
        orderQueryThrottleMs: settings.ORDER_QUERY_THROTTLE_MS,
        reconcileIntervalMs: settings.RECONCILE_INTERVAL_MS,
        maxUnpaidPerUser: settings.ORDER_MAX_UNPAID_PER_USER,
    }),
};
