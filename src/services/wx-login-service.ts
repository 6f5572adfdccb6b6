import type { AxiosInstance } from 'axios';

import type { WechatConfig } from '../config';
import { WechatBadReplyError, WechatLoginRefusal, WechatTransportError } from '../wechat/errors';

export interface WxSession {
    readonly openId: string;
    readonly sessionKey: string;
}

/** WeChat's login server: turns a wx.login code into the user's openid and session_key. */
export class WxLoginService {
    constructor(
        private readonly wechat: WechatConfig,
        private readonly http: AxiosInstance,
    ) {}

    async code2Session(code: string): Promise<WxSession> {
        let response;
        try {
            response = await this.http.get<string>(`${this.wechat.apiBaseUrl}/sns/jscode2session`, {
                params: { appid: this.wechat.appId, secret: this.wechat.appSecret, js_code: code, grant_type: 'authorization_code' },
            });
        }
        catch (error) {
            throw WechatTransportError.from(error, 'jscode2session');
        }
        if (response.status !== 200) {
            throw new WechatBadReplyError('jscode2session', `HTTP ${response.status}`);
        }

        let reply: { errcode?: unknown; errmsg?: unknown; openid?: unknown; session_key?: unknown };
        try {
            reply = JSON.parse(response.data) as typeof reply;
        }
        catch {
            throw new WechatBadReplyError('jscode2session', 'not JSON');
        }
        if (typeof reply.errcode === 'number' && reply.errcode !== 0) {
            throw new WechatLoginRefusal(reply.errcode, String(reply.errmsg ?? ''));
        }
        if (typeof reply.openid !== 'string' || reply.openid === '' || typeof reply.session_key !== 'string' || reply.session_key === '') {
            throw new WechatBadReplyError('jscode2session', 'no openid or session_key');
        }
        return { openId: reply.openid, sessionKey: reply.session_key };
    }
}
