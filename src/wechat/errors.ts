import { isAxiosError } from 'axios';

// What WeChat (or the road to it) said, as named errors carrying WeChat's own words. The
// gateway throws them; src/plugins/error-mapping.ts is the one table that turns them into HTTP.

/** Any failure of a call to WeChat; `api` names the call (unifiedorder, jscode2session, …). */
export abstract class WechatError extends Error {
    constructor(readonly api: string, message: string) {
        super(message);
    }
}

/** No answer: timed out, refused, reset, unresolvable. */
export class WechatTransportError extends WechatError {
    override readonly name = 'WechatTransportError';

    constructor(api: string, readonly timedOut: boolean, code?: string) {
        super(api, timedOut ? `WeChat ${api} did not answer in time` : `WeChat ${api} could not be reached (${code ?? 'network error'})`);
    }

    static from(error: unknown, api: string): WechatTransportError {
        if (isAxiosError(error)) {
            return new WechatTransportError(api, error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED', error.code);
        }
        // A connection lost while a streamed answer was being read (ECONNRESET, aborted).
        return new WechatTransportError(api, false, (error as NodeJS.ErrnoException | undefined)?.code);
    }
}

/** An answer that is not what WeChat's API promises (bad status, garbled body, bad signature, not our merchant). */
export class WechatBadReplyError extends WechatError {
    override readonly name = 'WechatBadReplyError';

    constructor(api: string, readonly why: string) {
        super(api, `WeChat ${api} gave an invalid reply: ${why}`);
    }
}

/**
 * /secapi refused the call before reading it (WeChat's HTML 400): no merchant certificate was
 * presented, or not one WeChat issued for this mch_id.
 */
export class WechatCertificateError extends WechatError {
    override readonly name = 'WechatCertificateError';

    constructor(api: string, readonly problem: string) {
        super(api, `WeChat ${api} refused the merchant certificate (WX_PAY_CERT_P12, or WX_PAY_CERT_PEM + WX_PAY_KEY_PEM): ${problem}`);
    }
}

/**
 * WeChat's bill of a day is larger than this server reads (RECONCILE_BILL_MAX_BYTES): refused as
 * it downloads, before it fills memory or disk. Not WeChat's fault, and it will not shrink: raise
 * the limit to reconcile the day.
 */
export class WechatBillTooLargeError extends WechatError {
    override readonly name = 'WechatBillTooLargeError';

    constructor(readonly day: string, readonly maxBytes: number) {
        super('downloadbill', `WeChat's bill of ${day} is larger than RECONCILE_BILL_MAX_BYTES (${maxBytes} bytes): raise it to reconcile the day`);
    }
}

/** WeChat Pay said no: return_code FAIL (no `code`), or result_code FAIL with its err_code. */
export class WechatPayRefusal extends WechatError {
    override readonly name = 'WechatPayRefusal';

    constructor(api: string, readonly code: string | undefined, readonly description: string | undefined) {
        super(api, `WeChat Pay ${api} failed: ${code ?? 'FAIL'}${description ? ` (${description})` : ''}`);
    }
}

/** The login server's errcode for a wx.login code. */
export class WechatLoginRefusal extends WechatError {
    override readonly name = 'WechatLoginRefusal';

    constructor(readonly errcode: number, readonly errmsg: string) {
        super('jscode2session', `WeChat login failed: ${errmsg} (errcode ${errcode})`);
    }
}

/** A mini-program server API (stable_token, upload_shipping_info) answered a non-zero errcode. */
export class WechatApiRefusal extends WechatError {
    override readonly name = 'WechatApiRefusal';

    constructor(api: string, readonly errcode: number, readonly errmsg: string) {
        super(api, `WeChat ${api} failed: ${errmsg} (errcode ${errcode})`);
    }
}
