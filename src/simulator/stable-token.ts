import type { WechatMerchant } from '../config';
import { sameSignature } from '../wechat/sign';
import type { AccessTokens } from './access-tokens';
import type { WechatJsonReply } from './shipping';

export type StableTokenReply = { readonly access_token: string; readonly expires_in: number } | WechatJsonReply;

/**
 * stable_token's refusals of the mini-program's own setup, as WeChat words them (40164 names the
 * caller's address). The faults control route makes the next calls answer one of them.
 */
export const TOKEN_REFUSALS = {
    invalid_appid: () => ({ errcode: 40013, errmsg: 'invalid appid' }),
    invalid_appsecret: () => ({ errcode: 40125, errmsg: 'invalid appsecret' }),
    ip_not_whitelisted: (ip: string) => ({ errcode: 40164, errmsg: `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist rid: 6582f7a1-1c0e4b3d-5f2a9c10` }),
    appsecret_frozen: () => ({ errcode: 40243, errmsg: 'AppSecret已被冻结，请登录小程序平台解冻后再次调用。' }),
} as const satisfies Record<string, (ip: string) => WechatJsonReply>;
export type TokenRefusalKind = keyof typeof TOKEN_REFUSALS;
export const TOKEN_REFUSAL_KINDS = Object.keys(TOKEN_REFUSALS) as TokenRefusalKind[];

/** POST /cgi-bin/stable_token: the mini-program's access token for its appid and secret. */
export function stableToken(merchant: WechatMerchant, tokens: AccessTokens, body: Record<string, unknown>): StableTokenReply {
    if (body.grant_type !== 'client_credential') {
        return { errcode: 40002, errmsg: 'invalid grant_type' };
    }
    if (body.appid !== merchant.appId) {
        return { errcode: 40013, errmsg: 'invalid appid' };
    }
    // Constant time, like any secret comparison.
    if (!sameSignature(merchant.appSecret, typeof body.secret === 'string' ? body.secret : undefined)) {
        return { errcode: 40125, errmsg: 'invalid appsecret' };
    }
    const { token, expiresInSeconds } = tokens.issue(body.force_refresh === true);
    return { access_token: token, expires_in: expiresInSeconds };
}
