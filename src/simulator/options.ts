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
});

/** Misuse at start-up is an exception, before anything listens. Messages never echo the key or secret. */
export function assertOptions(options: SimulatorOptions): SimulatorOptions {
    const { error, value } = schema.validate(options);
    if (error) {
        throw new Error(`Invalid wechat-simulator options: ${error.message}`);
    }
    return value;
}
