import type { AxiosInstance } from 'axios';

import type { WechatConfig } from '../config';
import { badReplyToBoom, payErrorToBoom, transportErrorToBoom } from '../wechat/errors';
import { nonceStr } from '../wechat/nonce';
import { isSignType, sign, verify, type SignType, type WxParams } from '../wechat/sign';
import { fromBeijingCompact, toBeijingCompact, unixSeconds } from '../wechat/time';
import { parseWxXml, buildWxXml } from '../wechat/xml';

export interface UnifiedOrderInput {
    readonly outTradeNo: string;
    /** Integer fen, from the database. */
    readonly totalFee: number;
    readonly body: string;
    readonly openId: string;
    readonly clientIp: string;
    readonly expiresAt: Date;
}

/** A verified WeChat Pay reply: the signature held and it names our appid and mch_id. */
export type WxReply = Readonly<Record<string, string>>;

/** What the mini-program passes to wx.requestPayment. */
export interface RequestPaymentParams {
    readonly appId: string;
    readonly timeStamp: string;
    readonly nonceStr: string;
    readonly package: string;
    readonly signType: SignType;
    readonly paySign: string;
}

/** A payment WeChat vouches for (a verified notification or orderquery reply). */
export interface WxPayment {
    readonly outTradeNo: string;
    readonly transactionId: string;
    readonly totalFee: number;
    readonly paidAt: Date;
}

/**
 * WeChat Pay API v2 for one merchant: signs requests, calls WeChat with a timeout, and
 * trusts no reply before its signature, appid and mch_id are checked.
 */
export class WxPayService {
    constructor(
        private readonly wechat: WechatConfig,
        private readonly http: AxiosInstance,
    ) {}

    get signType(): SignType {
        return this.wechat.signType;
    }

    /** WeChat Pay v2's signature of `params` with this merchant's API key. */
    sign(params: WxParams, signType: SignType = this.wechat.signType): string {
        return sign(params, this.wechat.apiKey, signType);
    }

    /** Whether `params.sign` signs every other field of `params`, in constant time. */
    verify(params: WxParams, signType: SignType = this.wechat.signType): boolean {
        return verify(params, this.wechat.apiKey, signType);
    }

    /** `result_code` SUCCESS → the prepay_id; any other answer is returned for the caller to judge. */
    unifiedOrder(input: UnifiedOrderInput): Promise<WxReply> {
        return this.call('unifiedorder', '/pay/unifiedorder', {
            body: input.body,
            out_trade_no: input.outTradeNo,
            total_fee: String(input.totalFee),
            spbill_create_ip: input.clientIp,
            notify_url: this.wechat.notifyUrl,
            trade_type: 'JSAPI',
            openid: input.openId,
            time_expire: toBeijingCompact(input.expiresAt),
        });
    }

    orderQuery(outTradeNo: string): Promise<WxReply> {
        return this.call('orderquery', '/pay/orderquery', { out_trade_no: outTradeNo });
    }

    closeOrder(outTradeNo: string): Promise<WxReply> {
        return this.call('closeorder', '/pay/closeorder', { out_trade_no: outTradeNo });
    }

    /** The re-signed prepay for wx.requestPayment; timeStamp is whole seconds, as a string. */
    requestPaymentParams(prepayId: string, signType: SignType, now = new Date()): RequestPaymentParams {
        const unsigned = { appId: this.wechat.appId, timeStamp: unixSeconds(now), nonceStr: nonceStr(), package: `prepay_id=${prepayId}`, signType };
        return { ...unsigned, paySign: this.sign(unsigned, signType) };
    }

    /**
     * Whether a notification is signed with our API key. The algorithm is the sign_type it
     * names; WeChat's HMAC-SHA256 notifications name none, so then it is the one our prepay used.
     */
    verifyNotification(fields: WxParams, prepaySignType: SignType | null): boolean {
        const named = fields.sign_type;
        if (named !== undefined && !isSignType(named)) {
            return false;
        }
        return this.verify(fields, named ?? prepaySignType ?? this.wechat.signType);
    }

    isOurMerchant(fields: WxParams): boolean {
        return fields.appid === this.wechat.appId && fields.mch_id === this.wechat.mchId;
    }

    /** A SUCCESS error answer of result_code FAIL, as a Boom error with WeChat's words. */
    businessError(api: string, reply: WxReply) {
        return payErrorToBoom(api, reply.err_code, reply.err_code_des);
    }

    private async call(api: string, path: string, fields: Record<string, string>): Promise<WxReply> {
        const signType = this.wechat.signType;
        const request: Record<string, string | undefined> = {
            appid: this.wechat.appId,
            mch_id: this.wechat.mchId,
            nonce_str: nonceStr(),
            // WeChat's default is MD5, and it must be named for anything else.
            sign_type: signType === 'MD5' ? undefined : signType,
            ...fields,
        };
        request.sign = this.sign(request, signType);

        let response;
        try {
            response = await this.http.post<string>(`${this.wechat.payBaseUrl}${path}`, buildWxXml(request), {
                headers: { 'Content-Type': 'text/xml; charset=utf-8' },
            });
        }
        catch (error) {
            throw transportErrorToBoom(error, api);
        }
        if (response.status !== 200) {
            throw badReplyToBoom(api, `HTTP ${response.status}`);
        }

        let reply: Record<string, string>;
        try {
            reply = await parseWxXml(response.data);
        }
        catch {
            throw badReplyToBoom(api, 'not WeChat Pay XML');
        }
        if (reply.return_code !== 'SUCCESS') {
            // WeChat signs no FAIL replies: this is its word about our request, not about any order.
            throw payErrorToBoom(api, undefined, reply.return_msg);
        }
        if (!this.verify(reply, signType)) {
            throw badReplyToBoom(api, 'signature does not verify');
        }
        if (!this.isOurMerchant(reply)) {
            throw badReplyToBoom(api, 'appid or mch_id is not ours');
        }
        return reply;
    }
}

/** The payment a verified notification or orderquery reply describes; undefined when a field is missing or malformed. */
export function paymentFromFields(fields: WxParams): WxPayment | undefined {
    const { out_trade_no: outTradeNo, transaction_id: transactionId, total_fee: totalFee, time_end: timeEnd } = fields;
    if (!outTradeNo || !transactionId || !totalFee || !/^[1-9]\d{0,9}$/.test(totalFee)) {
        return undefined;
    }
    // WeChat always sends time_end; should it ever be unreadable, the payment still counts, dated on receipt.
    return { outTradeNo, transactionId, totalFee: Number(totalFee), paidAt: (timeEnd && fromBeijingCompact(timeEnd)) || new Date() };
}
