import Joi from 'joi';

import type { ConfigSection } from './settings';

/** After the money: shipping uploads to WeChat and the receipt of goods. */
export interface ShippingConfig {
    /** Shipped orders whose receipt nobody confirmed complete on their own after this many days. */
    readonly autoReceiveDays: number;
    /** How often the auto-receive job runs; 0 switches it off. */
    readonly autoReceiveIntervalMs: number;
    /** How often pending shipment uploads are looked for; 0 switches the job off (a new shipment is still tried at once). */
    readonly uploadIntervalMs: number;
    /** The first retry of a failed upload waits this long, doubling up to an hour. */
    readonly uploadRetryMs: number;
}

export const shipping: ConfigSection<ShippingConfig> = {
    keys: {
        ORDER_AUTO_RECEIVE_DAYS: Joi.number().integer().min(1).max(90).default(7),
        AUTO_RECEIVE_INTERVAL_MS: Joi.number().integer().min(0).default(600_000),
        SHIPPING_UPLOAD_INTERVAL_MS: Joi.number().integer().min(0).default(5000),
        SHIPPING_UPLOAD_RETRY_MS: Joi.number().integer().min(10).max(3_600_000).default(5000),
    },
    read: (settings) => ({
        autoReceiveDays: settings.ORDER_AUTO_RECEIVE_DAYS,
        autoReceiveIntervalMs: settings.AUTO_RECEIVE_INTERVAL_MS,
        uploadIntervalMs: settings.SHIPPING_UPLOAD_INTERVAL_MS,
        uploadRetryMs: settings.SHIPPING_UPLOAD_RETRY_MS,
    }),
};
