import { sameSignature } from '../wechat/sign';
import { LOGIN_CODE } from './sessions';
import type { Simulator } from './simulator';

export type Code2SessionReply =
    | { readonly openid: string; readonly session_key: string }
    | { readonly errcode: number; readonly errmsg: string };

/** jscode2session: trades a single-use wx.login code for the user's openid and session_key. */
export function codeToSession(simulator: Simulator, query: Readonly<Record<string, unknown>>): Code2SessionReply {
    const { merchant, sessions } = simulator;
    // A repeated query parameter arrives as an array: WeChat would not read it as the value.
    const text = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);

    if (text('appid') !== merchant.appId) {
        return { errcode: 40013, errmsg: 'invalid appid' };
    }
    // Constant time, like any secret comparison.
    if (!sameSignature(merchant.appSecret, text('secret'))) {
        return { errcode: 40125, errmsg: 'invalid appsecret' };
    }
    const code = text('js_code');
    if (code === undefined || !LOGIN_CODE.test(code)) {
        return { errcode: 40029, errmsg: 'invalid code' };
    }
    if (text('grant_type') !== 'authorization_code') {
        return { errcode: 40002, errmsg: 'invalid grant_type' };
    }
    const session = sessions.forCode(code);
    if (session.exchanged) {
        return { errcode: 40163, errmsg: 'code been used' };
    }
    session.exchanged = true;
    return { openid: session.openid, session_key: session.sessionKey };
}
