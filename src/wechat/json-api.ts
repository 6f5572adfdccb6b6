import type { AxiosInstance } from 'axios';

import { WechatApiRefusal, WechatBadReplyError, WechatTransportError } from './errors';

/**
 * One POST of JSON to a mini-program server API (api.weixin.qq.com): the parsed reply when
 * errcode is absent or 0, else WechatApiRefusal with WeChat's errcode and errmsg. The URL may
 * carry the access token, so it never appears in an error.
 */
export async function postWechatJson(http: AxiosInstance, url: string, api: string, body: object): Promise<Record<string, unknown>> {
    let response;
    try {
        response = await http.post<string>(url, JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    }
    catch (error) {
        throw WechatTransportError.from(error, api);
    }
    if (response.status !== 200) {
        throw new WechatBadReplyError(api, `HTTP ${response.status}`);
    }
    let reply: unknown;
    try {
        reply = JSON.parse(response.data);
    }
    catch {
        throw new WechatBadReplyError(api, 'not JSON');
    }
    if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
        throw new WechatBadReplyError(api, 'not a JSON object');
    }
    const { errcode, errmsg } = reply as { errcode?: unknown; errmsg?: unknown };
    if (errcode !== undefined && errcode !== 0) {
        if (typeof errcode !== 'number') {
            throw new WechatBadReplyError(api, 'errcode is not a number');
        }
        throw new WechatApiRefusal(api, errcode, typeof errmsg === 'string' ? errmsg : '');
    }
    return reply as Record<string, unknown>;
}
