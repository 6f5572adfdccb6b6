import Joi from 'joi';

import { SIGN_TYPES, type SignType } from '../wechat/sign';
import { isHttpsOrLoopback, MIN_DISTINCT_CHARACTERS, refusedInProduction, variedEnough, type ConfigSection, type Problem } from './settings';

export interface WechatMerchant {
    readonly appId: string;
    readonly appSecret: string;
    readonly mchId: string;
    readonly apiKey: string;
}

/** WeChat's documented example merchant: the simulator's default, so dev signatures match WeChat's docs. */
export const EXAMPLE_MERCHANT: WechatMerchant = Object.freeze({
    appId: 'wxd930ea5d5a258f4f',
    mchId: '10000100',
    apiKey: '192006250b4c09247ec02edce69f6a2d',
    appSecret: 'devsecret0000000000000000000000a',
});

export interface WechatConfig extends WechatMerchant {
    /** Login server and mini-program APIs: jscode2session, stable_token, upload_shipping_info. */
    readonly apiBaseUrl: string;
    /** Pay server: unifiedorder, orderquery, closeorder. */
    readonly payBaseUrl: string;
    readonly notifyUrl: string;
    readonly signType: SignType;
    readonly httpTimeoutMs: number;
}

/** The merchant's own secrets and ids, which production must be given. */
const REQUIRED_IN_PRODUCTION = ['WX_APPID', 'WX_SECRET', 'WX_MCHID', 'WX_PAY_API_KEY', 'WX_PAY_NOTIFY_URL'];

export const wechat: ConfigSection<WechatConfig> = {
    keys: {
        WX_APPID: Joi.string().pattern(/^wx[0-9a-z]{16}$/i),
        WX_SECRET: Joi.string().min(16),
        WX_MCHID: Joi.string().pattern(/^\d{6,32}$/),
        WX_PAY_API_KEY: Joi.string().length(32),
        WX_API_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
        WX_PAY_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
        WX_PAY_NOTIFY_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
        WX_PAY_SIGN_TYPE: Joi.string().valid(...SIGN_TYPES).default('MD5'),
        WX_HTTP_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).default(5000),
    },
    problems(settings, { isProduction }) {
        if (!isProduction) {
            return [];
        }
        const problems: Problem[] = REQUIRED_IN_PRODUCTION
            .filter((name) => settings[name] === undefined)
            .map((name) => refusedInProduction(name, `${name} is required`));
        if (settings.WX_PAY_API_KEY === EXAMPLE_MERCHANT.apiKey || settings.WX_SECRET === EXAMPLE_MERCHANT.appSecret) {
            problems.push(refusedInProduction(['WX_PAY_API_KEY', 'WX_SECRET'], 'WX_PAY_API_KEY and WX_SECRET must not be the example values'));
        }
        if (settings.WX_APPID === EXAMPLE_MERCHANT.appId || settings.WX_MCHID === EXAMPLE_MERCHANT.mchId) {
            problems.push(refusedInProduction(['WX_APPID', 'WX_MCHID'], "WX_APPID and WX_MCHID must not be WeChat's example merchant"));
        }
        if (settings.WX_PAY_API_KEY !== undefined && settings.WX_PAY_API_KEY !== EXAMPLE_MERCHANT.apiKey && !variedEnough(settings.WX_PAY_API_KEY)) {
            problems.push(refusedInProduction('WX_PAY_API_KEY', `WX_PAY_API_KEY must have at least ${MIN_DISTINCT_CHARACTERS} distinct characters (use the key set in WeChat Pay's merchant platform)`));
        }
        problems.push(...insecureUrls(settings, ['WX_API_BASE_URL', 'WX_PAY_BASE_URL', 'WX_PAY_NOTIFY_URL']));
        return problems;
    },
    read: (settings, { simulatorEnabled, selfUrl }) => ({
        appId: settings.WX_APPID ?? EXAMPLE_MERCHANT.appId,
        appSecret: settings.WX_SECRET ?? EXAMPLE_MERCHANT.appSecret,
        mchId: settings.WX_MCHID ?? EXAMPLE_MERCHANT.mchId,
        apiKey: settings.WX_PAY_API_KEY ?? EXAMPLE_MERCHANT.apiKey,
        apiBaseUrl: settings.WX_API_BASE_URL ?? (simulatorEnabled ? simulatorUrlOf(selfUrl) : 'https://api.weixin.qq.com'),
        payBaseUrl: settings.WX_PAY_BASE_URL ?? (simulatorEnabled ? simulatorUrlOf(selfUrl) : 'https://api.mch.weixin.qq.com'),
        notifyUrl: settings.WX_PAY_NOTIFY_URL ?? `${selfUrl}/orders/pay/notify`,
        signType: settings.WX_PAY_SIGN_TYPE,
        httpTimeoutMs: settings.WX_HTTP_TIMEOUT_MS,
    }),
};

/** Where the in-process simulator answers as WeChat. */
const simulatorUrlOf = (selfUrl: string) => `${selfUrl}/__wechat`;

/** Production talks to WeChat, and is reached by it, over TLS (plain http only on this machine). */
export function insecureUrls(settings: Record<string, unknown>, names: readonly string[]): Problem[] {
    return names
        .filter((name) => typeof settings[name] === 'string' && !isHttpsOrLoopback(settings[name] as string))
        .map((name) => refusedInProduction(name, `${name} must be https:// (http:// only to a loopback host)`));
}

/** Whether the merchant's secrets are WeChat's example merchant's (unset counts as the example). */
export function isExampleMerchant(settings: Record<string, unknown>): boolean {
    return (settings.WX_PAY_API_KEY ?? EXAMPLE_MERCHANT.apiKey) === EXAMPLE_MERCHANT.apiKey
        && (settings.WX_SECRET ?? EXAMPLE_MERCHANT.appSecret) === EXAMPLE_MERCHANT.appSecret;
}
