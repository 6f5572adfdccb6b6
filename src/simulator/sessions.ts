import { newSessionKey, openidFor } from './ids';

/** Login codes: the simulator accepts any well-formed one, as if wx.login had just issued it. */
export const LOGIN_CODE = /^[A-Za-z0-9._-]{1,64}$/;

export interface LoginSession {
    readonly openid: string;
    readonly sessionKey: string;
    /** jscode2session has exchanged this code; WeChat answers 40163 to a second try. */
    exchanged: boolean;
}

/**
 * One session per login code, created on first sight — by jscode2session or by the
 * userinfo route, whichever comes first — so both agree on the session_key.
 */
export class Sessions {
    private readonly byCode = new Map<string, LoginSession>();

    constructor(private readonly appId: string) {}

    forCode(code: string): LoginSession {
        let session = this.byCode.get(code);
        if (session === undefined) {
            session = { openid: openidFor(this.appId, code), sessionKey: newSessionKey(), exchanged: false };
            this.byCode.set(code, session);
        }
        return session;
    }
}
