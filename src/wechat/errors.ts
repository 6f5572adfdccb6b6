import Boom from '@hapi/boom';
import { isAxiosError } from 'axios';

// The one place that turns what WeChat (or the road to it) said into an HTTP answer.

/** errcodes that mean this server's own appid or secret is wrong: not the client's fault. */
const MISCONFIGURED = new Set([40013, 40125, 41002, 41004]);

export function loginErrcodeToBoom(errcode: number, errmsg: string): Boom.Boom {
    const said = `WeChat login failed: ${errmsg} (errcode ${errcode})`;
    if (errcode === -1) {
        return Boom.serverUnavailable(said);
    }
    if (errcode === 45011) {
        return Boom.tooManyRequests(said);
    }
    if (MISCONFIGURED.has(errcode)) {
        return Boom.badGateway(said);
    }
    // A bad, used or risky login code (40029, 40163, 40226): the client should wx.login again.
    return Boom.unauthorized(said);
}

/** Transport failures: a timeout is 504, anything else on the way (refused, reset, DNS) 502. */
export function transportErrorToBoom(error: unknown, api: string): Boom.Boom {
    if (isAxiosError(error)) {
        if (error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED') {
            return Boom.gatewayTimeout(`WeChat ${api} did not answer in time`);
        }
        return Boom.badGateway(`WeChat ${api} could not be reached (${error.code ?? 'network error'})`);
    }
    return Boom.badGateway(`WeChat ${api} failed`);
}

/** An answer that is not what WeChat's API promises (bad status, garbled body, bad signature). */
export function badReplyToBoom(api: string, why: string): Boom.Boom {
    return Boom.badGateway(`WeChat ${api} gave an invalid reply: ${why}`);
}
