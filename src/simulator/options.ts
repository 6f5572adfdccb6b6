import Joi from 'joi';

import type { WechatMerchant } from '../config';

export interface SimulatorOptions {
    /** The one merchant (mini-program + WeChat Pay account) this WeChat knows. */
    readonly merchant: WechatMerchant;
    /** Real seconds per simulated second: 0.001 runs WeChat's day-long retry schedule in ~90 s. */
    readonly timeScale: number;
    /** Senders that deliver each notification's first attempt in parallel. */
    readonly notifyDuplicates: number;
    /** How long one notification delivery waits for the app's reply, in real ms. */
    readonly notifyTimeoutMs: number;
    /** The refund notify URL "set in the merchant platform": platform refunds, and API ones without notify_url, go there. */
    readonly refundNotifyUrl?: string;
    /** A second listener over TLS, as WeChat's /secapi needs: it asks for a client certificate and checks it against `ca`. */
    readonly tls?: SimulatorTls;
}

export interface SimulatorTls {
    readonly host?: string;
    readonly port: number;
    /** PEM: the CA that issues merchant certificates, and this listener's own certificate and key. */
    readonly ca: string;
    readonly cert: string;
    readonly key: string;
}

const schema = Joi.object<SimulatorOptions>({
    // unknown(): the app may pass its whole WechatConfig, which is a WechatMerchant and more.
    merchant: Joi.object({
        appId: Joi.string().required(),
        appSecret: Joi.string().required(),
        mchId: Joi.string().required(),
        apiKey: Joi.string().required(),
    }).required().unknown(),
    timeScale: Joi.number().positive().required(),
    notifyDuplicates: Joi.number().integer().min(1).max(20).required(),
    notifyTimeoutMs: Joi.number().integer().min(1).required(),
    refundNotifyUrl: Joi.string().uri({ scheme: ['http', 'https'] }),
    tls: Joi.object({
        host: Joi.string(),
        port: Joi.number().port().required(),
        ca: Joi.string().required(),
        cert: Joi.string().required(),
        key: Joi.string().required(),
    }),
});

/** Misuse at start-up is an exception, before anything listens. Messages never echo the key or secret. */
export function assertOptions(options: SimulatorOptions): SimulatorOptions {
    const { error, value } = schema.validate(options);
    if (error) {
        throw new Error(`Invalid wechat-simulator options: ${error.message}`);
    }
    return value;
}
