import type { Agent } from 'node:https';
import type { Readable } from 'node:stream';

import type { AxiosInstance, AxiosResponse } from 'axios';

import type { WechatConfig } from '../config';
import { BillError, billRows, NO_BILL_EXIST, type BillRow } from '../wechat/bill';
import { openBillBody } from '../wechat/bill-download';
import { WechatBadReplyError, WechatBillTooLargeError, WechatCertificateError, WechatError, WechatPayRefusal, WechatTransportError } from '../wechat/errors';
import { nonceStr } from '../wechat/nonce';
import type {
    BeijingDay, BillEntry, BillLimits, CloseResult, NoticeVerdict, PayGateway, PaymentNotice, PrepayRequest, PrepayResult, RefundNotice, RefundNoticeVerdict,
    RefundRequest, RefundResult, RefundSource, RefundState, RequestPaymentParams, TradeState, WxPayment, WxRefund,
} from '../wechat/pay-gateway';
import { decryptRefundInfo, RefundInfoError } from '../wechat/refund-crypto';
import { isSignType, sign, verify, type SignType, type WxParams } from '../wechat/sign';
import { fromBeijingCompact, fromBeijingDateTime, toBeijingCompact, unixSeconds } from '../wechat/time';
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

/** refund_status (refundquery, notification) as the domain reads it. */
const REFUND_STATES: Readonly<Record<string, RefundState>> = {
    PROCESSING: 'processing',
    SUCCESS: 'succeeded',
    REFUNDCLOSE: 'failed',
    CHANGE: 'abnormal',
};

/** refund's err_codes that ask for the same request again later; every other one is WeChat's final no. */
const RETRYABLE_REFUND_CODES = new Set(['SYSTEMERROR', 'BIZERR_NEED_RETRY', 'FREQUENCY_LIMITED']);

/** refund_request_source: API, or VENDOR_PLATFORM (by hand in the merchant platform). */
const REFUND_SOURCES: Readonly<Record<string, RefundSource>> = { API: 'api', VENDOR_PLATFORM: 'merchant_platform' };

/** Where /secapi calls go and the agent that presents the merchant certificate (none: they go without one, and WeChat refuses). */
export interface SecapiRoute {
    readonly baseUrl: string;
    readonly agent: Agent | undefined;
}

/**
 * WeChat Pay API v2 for one merchant, behind the PayGateway interface: signs requests, calls
 * WeChat with a timeout, trusts no reply before its signature, appid and mch_id are checked,
 * and turns WeChat's codes into typed results and named errors.
 */
export class WxPayService implements PayGateway {
    constructor(
        private readonly wechat: WechatConfig,
        private readonly http: AxiosInstance,
        private readonly secapi: SecapiRoute = { baseUrl: wechat.payBaseUrl, agent: undefined },
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

    async refund(input: RefundRequest): Promise<RefundResult> {
        let reply: WxReply;
        try {
            reply = await this.call('refund', '/secapi/pay/refund', {
                out_trade_no: input.outTradeNo,
                out_refund_no: input.outRefundNo,
                total_fee: String(input.totalFee),
                refund_fee: String(input.refundFee),
                refund_desc: input.reason ?? undefined,
                notify_url: input.notifyUrl,
            });
        }
        catch (error) {
            // return_code FAIL is about the request itself (signature, parameters): not worth repeating as it is.
            if (error instanceof WechatPayRefusal) {
                return { outcome: 'failed', code: 'FAIL', message: error.description ?? 'refused' };
            }
            throw error;
        }
        if (reply.result_code === 'SUCCESS') {
            if (!reply.refund_id) {
                throw new WechatBadReplyError('refund', 'no refund_id');
            }
            return { outcome: 'accepted', refundId: reply.refund_id };
        }
        const code = reply.err_code ?? 'FAIL';
        return { outcome: RETRYABLE_REFUND_CODES.has(code) ? 'retry' : 'failed', code, message: reply.err_code_des ?? code };
    }

    async queryRefund(outRefundNo: string): Promise<WxRefund | undefined> {
        const reply = await this.call('refundquery', '/pay/refundquery', { out_refund_no: outRefundNo });
        if (reply.result_code !== 'SUCCESS') {
            if (reply.err_code === 'REFUNDNOTEXIST') {
                return undefined;
            }
            throw refusal('refundquery', reply);
        }
        const refund = refundFromFields({
            out_trade_no: reply.out_trade_no,
            total_fee: reply.total_fee,
            out_refund_no: reply.out_refund_no_0,
            refund_id: reply.refund_id_0,
            refund_fee: reply.refund_fee_0,
            refund_status: reply.refund_status_0,
            success_time: reply.refund_success_time_0,
        });
        if (typeof refund === 'string' || refund.outRefundNo !== outRefundNo) {
            throw new WechatBadReplyError('refundquery', typeof refund === 'string' ? refund : 'another out_refund_no');
        }
        return refund;
    }

    async readRefundNotice(body: Buffer): Promise<RefundNotice> {
        return { fields: await parseWxXml(body) };
    }

    async judgeRefundNotice({ fields }: RefundNotice): Promise<RefundNoticeVerdict> {
        if (fields.return_code !== 'SUCCESS') {
            return { verdict: 'refused', decrypted: false, reason: 'return_code is not SUCCESS' };
        }
        let info: Record<string, string>;
        try {
            info = await decryptRefundInfo(fields.req_info ?? '', this.wechat.apiKey);
        }
        catch (error) {
            return { verdict: 'refused', decrypted: false, reason: error instanceof RefundInfoError ? error.message : 'req_info unreadable' };
        }
        const named = { outRefundNo: info.out_refund_no, outTradeNo: info.out_trade_no };
        // The key is the merchant's, so only WeChat (or someone holding our key) could have written req_info.
        if (!this.isOurMerchant(fields)) {
            return { verdict: 'refused', decrypted: true, reason: 'appid or mch_id is not ours', ...named };
        }
        const refund = refundFromFields(info);
        return typeof refund === 'string' ? { verdict: 'refused', decrypted: true, reason: refund, ...named } : { verdict: 'refund', refund };
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

    private async call(api: string, path: string, fields: Record<string, string | undefined>): Promise<WxReply> {
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

    /** A request's XML: our appid, mch_id and a nonce added, signed with the API key. */
    private signedXml(fields: Record<string, string | undefined>): string {
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
        return buildWxXml(request);
    }

    /** Signs and posts a request; the body of WeChat's 200 answer, unread. */
    private async post(api: string, path: string, fields: Record<string, string | undefined>): Promise<string> {
        // Only /secapi calls present the merchant certificate, on an agent of their own.
        const secapi = path.startsWith('/secapi/');
        let response;
        try {
            response = await this.http.post<string>(`${secapi ? this.secapi.baseUrl : this.wechat.payBaseUrl}${path}`, this.signedXml(fields), {
                headers: XML_HEADERS,
                ...(secapi && this.secapi.agent !== undefined ? { httpsAgent: this.secapi.agent } : {}),
            });
        }
        catch (error) {
            throw WechatTransportError.from(error, api);
        }
        if (secapi && response.status === 400 && /^\s*<html/i.test(response.data)) {
            throw new WechatCertificateError(api, certificatePageProblem(response.data));
        }
        if (response.status !== 200) {
            throw new WechatBadReplyError(api, `HTTP ${response.status}`);
        }
        return response.data;
    }

    /**
     * downloadbill (bill_type ALL, tar_type GZIP, no certificate), read as it downloads: the
     * gzip file inflated line by line, or WeChat's unsigned XML instead. "No Bill Exist" is a day
     * without trades: no entries. Any other XML is a refusal; a bill that fails the checks of
     * billRows (its summary last), or lists another merchant's trades, is a bad reply. The one
     * call not held to the client's 1 MB cap: it has `limits.maxBytes`, of the download and of
     * the text it inflates to, and the client's timeout as the longest wait for each chunk.
     */
    async *downloadBill(day: BeijingDay, { maxBytes }: BillLimits): AsyncGenerator<BillEntry> {
        const api = 'downloadbill';
        let response: AxiosResponse<Readable>;
        try {
            response = await this.http.post<Readable>(`${this.wechat.payBaseUrl}/pay/downloadbill`,
                this.signedXml({ bill_date: day.replaceAll('-', ''), bill_type: 'ALL', tar_type: 'GZIP' }),
                // -1: axios counts nothing here; openBillBody holds the download to maxBytes.
                { headers: XML_HEADERS, responseType: 'stream', maxContentLength: -1 });
        }
        catch (error) {
            throw WechatTransportError.from(error, api);
        }
        try {
            if (response.status !== 200) {
                throw new WechatBadReplyError(api, `HTTP ${response.status}`);
            }
            const body = await openBillBody(response.data, { maxBytes, idleMs: this.wechat.httpTimeoutMs }, {
                tooLarge: () => new WechatBillTooLargeError(day, maxBytes),
                stalled: () => new WechatTransportError(api, true),
            });
            if (body.kind === 'xml') {
                const answer = await parseWxXml(body.text).catch(() => {
                    throw new WechatBadReplyError(api, 'neither a bill nor WeChat Pay XML');
                });
                if (answer.return_msg === NO_BILL_EXIST) {
                    return;
                }
                throw new WechatPayRefusal(api, answer.error_code, answer.return_msg);
            }
            for await (const row of billRows(body.lines)) {
                if (!this.isOurMerchant({ appid: row.appId, mch_id: row.mchId })) {
                    throw new WechatBadReplyError(api, 'the bill lists a trade of another appid or mch_id');
                }
                const entry = billEntryOf(row);
                if (entry !== undefined) {
                    yield entry;
                }
            }
        }
        catch (error) {
            throw billDownloadError(error);
        }
        finally {
            response.data.destroy();
        }
    }
}

const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };

/** A payment row (SUCCESS) or a refund row (REFUND) as the domain reads it; undefined for the rest (REVOKED). */
function billEntryOf(row: BillRow): BillEntry | undefined {
    if (row.tradeState === 'SUCCESS') {
        return { kind: 'payment', outTradeNo: row.outTradeNo, transactionId: row.transactionId, totalFee: row.totalFee, paidAt: row.tradeTime };
    }
    if (row.tradeState === 'REFUND' && row.outRefundNo !== undefined) {
        return { kind: 'refund', outTradeNo: row.outTradeNo, outRefundNo: row.outRefundNo, refundFee: row.refundFee };
    }
    return undefined;
}

/** What failed while a bill was read, as the named errors: a damaged bill or gzip file is a bad reply, a lost connection a transport error. */
function billDownloadError(error: unknown): WechatError {
    if (error instanceof WechatError) {
        return error;
    }
    if (error instanceof BillError) {
        return new WechatBadReplyError('downloadbill', error.message);
    }
    if (/^Z_/.test((error as NodeJS.ErrnoException).code ?? '')) {
        return new WechatBadReplyError('downloadbill', `the gzip file is damaged (${(error as Error).message})`);
    }
    return WechatTransportError.from(error, 'downloadbill');
}

/** The reason nginx's 400 page gives ("No required SSL certificate was sent"), from its title. */
function certificatePageProblem(page: string): string {
    const title = /<title>\s*400\s+([^<]{1,120})<\/title>/i.exec(page);
    return title?.[1]?.trim() ?? 'HTTP 400';
}

/** A refund as a decrypted notification (or refundquery, renamed) describes it; a reason when a field is missing or malformed. */
function refundFromFields(fields: Readonly<Record<string, string | undefined>>): WxRefund | string {
    const { out_trade_no: outTradeNo, out_refund_no: outRefundNo, refund_id: refundId, total_fee: totalFee, refund_fee: refundFee } = fields;
    if (!outTradeNo || !outRefundNo || !refundId) {
        return 'out_trade_no, out_refund_no or refund_id missing';
    }
    if (!FEE.test(totalFee ?? '') || !FEE.test(refundFee ?? '')) {
        return 'total_fee or refund_fee missing or malformed';
    }
    const state = REFUND_STATES[fields.refund_status ?? ''];
    if (state === undefined) {
        return `unknown refund_status ${String(fields.refund_status).slice(0, 32)}`;
    }
    const successTime = fields.success_time ? fromBeijingDateTime(fields.success_time) : undefined;
    return {
        outTradeNo, outRefundNo, refundId, state,
        totalFee: Number(totalFee),
        refundFee: Number(refundFee),
        // Dated on receipt should WeChat's time ever be unreadable: the refund still happened.
        succeededAt: state === 'succeeded' ? successTime ?? new Date() : null,
        source: REFUND_SOURCES[fields.refund_request_source ?? ''] ?? 'api',
    };
}

const FEE = /^[1-9]\d{0,9}$/;

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
