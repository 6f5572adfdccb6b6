import type { WechatMerchant } from '../config';
import { sameSignature } from '../wechat/sign';
import type { AccessTokens } from './access-tokens';
import type { WechatJsonReply } from './shipping';

export type StableTokenReply = { readonly access_token: string; readonly expires_in: number } | WechatJsonReply;

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
