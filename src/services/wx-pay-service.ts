import type { AxiosInstance } from 'axios';

import type { WechatConfig } from '../config';
import { BillError, NO_BILL_EXIST, parseBill } from '../wechat/bill';
import { WechatBadReplyError, WechatPayRefusal, WechatTransportError } from '../wechat/errors';
import { nonceStr } from '../wechat/nonce';
import { isSignType, sign, verify, type SignType, type WxParams } from '../wechat/sign';
import { fromBeijingCompact, toBeijingCompact, unixSeconds } from '../wechat/time';
import type { BeijingDay, CloseResult, DayBill, NoticeVerdict, PayGateway, PaymentNotice, PrepayRequest, PrepayResult, RequestPaymentParams, TradeState, WxPayment } from '../wechat/pay-gateway';
import { parseWxXml, buildWxXml } from '../wechat/xml';

/** A verified WeChat Pay reply: the signature held and it names our appid and mch_id. */
type WxReply = Readonly<Record<string, string>>;

export type { RequestPaymentParams, WxPayment };

/** orderquery's trade_state, as the domain reads it. REFUND (转入退款) was paid: its payment happened. */
const TRADE_STATES: Readonly<Record<string, TradeState['state']>> = {
    SUCCESS: 'paid',
    REFUND: 'paid',
    NOTPAY: 'unpaid',
    USERPAYING: 'unpaid',
    PAYERROR: 'unpaid',
    CLOSED: 'closed',
    REVOKED: 'closed',
};

/**
 * WeChat Pay API v2 for one merchant, behind the PayGateway interface: signs requests, calls
 * WeChat with a timeout, trusts no reply before its signature, appid and mch_id are checked,
 * and turns WeChat's codes into typed results and named errors.
 */
export class WxPayService implements PayGateway {
    constructor(
        private readonly wechat: WechatConfig,
        private readonly http: AxiosInstance,
    ) {}

    get prepaySignature(): SignType {
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

    async placePrepay(input: PrepayRequest): Promise<PrepayResult> {
        const reply = await this.call('unifiedorder', '/pay/unifiedorder', {
            body: input.body,
            out_trade_no: input.outTradeNo,
            total_fee: String(input.totalFee),
            spbill_create_ip: input.clientIp,
            notify_url: this.wechat.notifyUrl,
            trade_type: 'JSAPI',
            openid: input.openId,
            time_expire: toBeijingCompact(input.expiresAt),
        });
        if (reply.result_code === 'SUCCESS') {
            if (!reply.prepay_id) {
                throw new WechatBadReplyError('unifiedorder', 'no prepay_id');
            }
            return { outcome: 'created', prepayId: reply.prepay_id };
        }
        if (reply.err_code === 'ORDERPAID') {
            return { outcome: 'already_paid' };
        }
        if (reply.err_code === 'ORDERCLOSED') {
            return { outcome: 'closed' };
        }
        throw refusal('unifiedorder', reply);
    }

    async queryTrade(outTradeNo: string): Promise<TradeState> {
        const reply = await this.call('orderquery', '/pay/orderquery', { out_trade_no: outTradeNo });
        if (reply.result_code !== 'SUCCESS') {
            if (reply.err_code === 'ORDERNOTEXIST') {
                return { state: 'not_found' };
            }
            throw refusal('orderquery', reply);
        }
        const state = TRADE_STATES[reply.trade_state ?? ''];
        if (state === undefined) {
            throw new WechatBadReplyError('orderquery', `unknown trade_state ${String(reply.trade_state).slice(0, 32)}`);
        }
        if (state !== 'paid') {
            return { state };
        }
        const payment = paymentFromFields(reply);
        if (!payment) {
            throw new WechatBadReplyError('orderquery', `${reply.trade_state} without transaction_id or total_fee`);
        }
        return { state, payment };
    }

    async closeTrade(outTradeNo: string): Promise<CloseResult> {
        const reply = await this.call('closeorder', '/pay/closeorder', { out_trade_no: outTradeNo });
        if (reply.result_code === 'SUCCESS' || reply.err_code === 'ORDERCLOSED' || reply.err_code === 'ORDERNOTEXIST') {
            return 'closed';
        }
        if (reply.err_code === 'ORDERPAID') {
            return 'paid';
        }
        throw refusal('closeorder', reply);
    }

    /** The re-signed prepay for wx.requestPayment; timeStamp is whole seconds, as a string. */
    requestPaymentParams(prepayId: string, signType: SignType, now = new Date()): RequestPaymentParams {
        const unsigned = { appId: this.wechat.appId, timeStamp: unixSeconds(now), nonceStr: nonceStr(), package: `prepay_id=${prepayId}`, signType };
        return { ...unsigned, paySign: this.sign(unsigned, signType) };
    }

    async readNotice(body: Buffer): Promise<PaymentNotice> {
        const fields = await parseWxXml(body);
        return { outTradeNo: fields.out_trade_no, transactionId: fields.transaction_id, fields };
    }

    judgeNotice({ fields }: PaymentNotice, prepaySignature: SignType | null): NoticeVerdict {
        if (!this.verifyNotification(fields, prepaySignature)) {
            return { verdict: 'unverified', reason: 'signature does not verify' };
        }
        if (fields.return_code !== 'SUCCESS') {
            return { verdict: 'refused', reason: 'return_code is not SUCCESS' };
        }
        if (!this.isOurMerchant(fields)) {
            return { verdict: 'refused', reason: 'appid or mch_id is not ours' };
        }
        if (fields.result_code !== 'SUCCESS') {
            return { verdict: 'payment_failed', reason: `${fields.err_code ?? 'FAIL'} ${fields.err_code_des ?? ''}`.trim() };
        }
        const payment = paymentFromFields(fields);
        return payment ? { verdict: 'paid', payment } : { verdict: 'refused', reason: 'transaction_id or total_fee missing or malformed' };
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

    private async call(api: string, path: string, fields: Record<string, string>): Promise<WxReply> {
        const text = await this.post(api, path, fields);
        let reply: Record<string, string>;
        try {
            reply = await parseWxXml(text);
        }
        catch {
            throw new WechatBadReplyError(api, 'not WeChat Pay XML');
        }
        if (reply.return_code !== 'SUCCESS') {
            // WeChat signs no FAIL replies: this is its word about our request, not about any order.
            throw new WechatPayRefusal(api, undefined, reply.return_msg);
        }
        if (!this.verify(reply, this.wechat.signType)) {
            throw new WechatBadReplyError(api, 'signature does not verify');
        }
        if (!this.isOurMerchant(reply)) {
            throw new WechatBadReplyError(api, 'appid or mch_id is not ours');
        }
        return reply;
    }

    /** Signs and posts a request; the body of WeChat's 200 answer, unread. */
    private async post(api: string, path: string, fields: Record<string, string>): Promise<string> {
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
            throw WechatTransportError.from(error, api);
        }
        if (response.status !== 200) {
            throw new WechatBadReplyError(api, `HTTP ${response.status}`);
        }
        return response.data;
    }

    /**
     * downloadbill (bill_type ALL, no certificate): the CSV, or WeChat's unsigned XML instead.
     * "No Bill Exist" is a day without trades: an empty bill. Any other XML is a refusal; a bill
     * that fails parseBill's checks, or lists another merchant's trades, is a bad reply.
     */
    async downloadBill(day: BeijingDay): Promise<DayBill> {
        const text = await this.post('downloadbill', '/pay/downloadbill', { bill_date: day.replaceAll('-', ''), bill_type: 'ALL' });
        if (text.trimStart().startsWith('<')) {
            const answer = await parseWxXml(text).catch(() => {
                throw new WechatBadReplyError('downloadbill', 'neither a bill nor WeChat Pay XML');
            });
            if (answer.return_msg === NO_BILL_EXIST) {
                return { payments: [], refunds: [] };
            }
            throw new WechatPayRefusal('downloadbill', answer.error_code, answer.return_msg);
        }
        let bill;
        try {
            bill = await parseBill(text);
        }
        catch (error) {
            throw new WechatBadReplyError('downloadbill', error instanceof BillError ? error.message : 'unreadable bill');
        }
        const rows = bill?.rows ?? [];
        if (rows.some((row) => row.appId !== this.wechat.appId || row.mchId !== this.wechat.mchId)) {
            throw new WechatBadReplyError('downloadbill', 'the bill lists a trade of another appid or mch_id');
        }
        return {
            payments: rows.filter((row) => row.tradeState === 'SUCCESS')
                .map((row) => ({ outTradeNo: row.outTradeNo, transactionId: row.transactionId, totalFee: row.totalFee, paidAt: row.tradeTime })),
            refunds: rows.filter((row) => row.tradeState === 'REFUND' && row.outRefundNo !== undefined)
                .map((row) => ({ outTradeNo: row.outTradeNo, outRefundNo: row.outRefundNo!, refundFee: row.refundFee })),
        };
    }
}

/** result_code FAIL: WeChat's err_code and its words. */
function refusal(api: string, reply: WxReply): WechatPayRefusal {
    return new WechatPayRefusal(api, reply.err_code, reply.err_code_des);
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
