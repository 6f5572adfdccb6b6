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

/** Business answers (result_code FAIL) that mean the order's state at WeChat conflicts with the request. */
const ORDER_STATE_CONFLICTS = new Set(['ORDERPAID', 'ORDERCLOSED', 'OUT_TRADE_NO_USED', 'ORDERREVERSED']);

/**
 * WeChat Pay said no. return_code FAIL (communication, signature, parameters) and every
 * err_code except the order-state conflicts are WeChat refusing this server: 502, with
 * WeChat's own words kept so an operator can act on them.
 */
export function payErrorToBoom(api: string, errCode: string | undefined, description: string | undefined): Boom.Boom {
    const said = `WeChat Pay ${api} failed: ${errCode ?? 'FAIL'}${description ? ` (${description})` : ''}`;
    if (errCode !== undefined && ORDER_STATE_CONFLICTS.has(errCode)) {
        return Boom.conflict(said);
    }
    return Boom.badGateway(said);
}
