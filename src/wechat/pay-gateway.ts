import type { SignType } from './sign';

// WeChat Pay as the domain sees it: typed requests and results, named errors
// (src/wechat/errors.ts). The API v2 implementation (src/services/wx-pay-service.ts) owns XML,
// sign types and WeChat's codes; an APIv3 one can stand behind the same interface.

export interface PrepayRequest {
    readonly outTradeNo: string;
    /** Integer fen, from the database. */
    readonly totalFee: number;
    readonly body: string;
    readonly openId: string;
    readonly clientIp: string;
    readonly expiresAt: Date;
}

/** A new prepay, or WeChat's word that the order can take none. */
export type PrepayResult =
    | { readonly outcome: 'created'; readonly prepayId: string }
    | { readonly outcome: 'already_paid' }
    | { readonly outcome: 'closed' };

/** A payment WeChat vouches for (a verified notification or an orderquery reply). */
export interface WxPayment {
    readonly outTradeNo: string;
    readonly transactionId: string;
    readonly totalFee: number;
    readonly paidAt: Date;
}

/** An order as WeChat Pay knows it. `paid` includes orders paid and then refunded (their payment happened). */
export type TradeState =
    | { readonly state: 'paid'; readonly payment: WxPayment }
    | { readonly state: 'unpaid' }
    | { readonly state: 'closed' }
    | { readonly state: 'not_found' };

/** closeorder: WeChat takes no payment for the order any more, or it already has one. */
export type CloseResult = 'closed' | 'paid';

/** What the mini-program passes to wx.requestPayment. */
export interface RequestPaymentParams {
    readonly appId: string;
    readonly timeStamp: string;
    readonly nonceStr: string;
    readonly package: string;
    readonly signType: SignType;
    readonly paySign: string;
}

/** A payment notification as read, before anything about it is trusted. */
export interface PaymentNotice {
    /** What it claims to be about (unverified: for finding the order and for the record). */
    readonly outTradeNo: string | undefined;
    readonly transactionId: string | undefined;
    /** The wire format's fields, for the gateway that read them. */
    readonly fields: Readonly<Record<string, string>>;
}

/** What a notice turned out to be, judged with the order's prepay signature (when there is an order). */
export type NoticeVerdict =
    | { readonly verdict: 'unverified'; readonly reason: string }
    | { readonly verdict: 'refused'; readonly reason: string }
    | { readonly verdict: 'payment_failed'; readonly reason: string }
    | { readonly verdict: 'paid'; readonly payment: WxPayment };

export interface RefundRequest {
    readonly outTradeNo: string;
    readonly outRefundNo: string;
    /** Integer fen, from the database: the order's paid total and this refund's part of it. */
    readonly totalFee: number;
    readonly refundFee: number;
    /** Shown to the shopper by WeChat; at most 80 characters. */
    readonly reason: string | null;
    readonly notifyUrl: string;
}

/**
 * WeChat's answer to a refund: accepted (the money moves later: a notification or
 * refundquery says when), refused for good with WeChat's code and words, or worth the same
 * request again later (WeChat's own errors and limits).
 */
export type RefundResult =
    | { readonly outcome: 'accepted'; readonly refundId: string }
    | { readonly outcome: 'failed'; readonly code: string; readonly message: string }
    | { readonly outcome: 'retry'; readonly code: string; readonly message: string };

/** A refund's state as WeChat reports it; `abnormal`: the money is stuck (the shopper's account), settle it by hand. */
export type RefundState = 'processing' | 'succeeded' | 'failed' | 'abnormal';

/** Who started a refund: this API, or someone by hand in WeChat Pay's merchant platform. */
export type RefundSource = 'api' | 'merchant_platform';

/** One refund WeChat vouches for (a decrypted notification or a refundquery reply). */
export interface WxRefund {
    readonly outTradeNo: string;
    readonly outRefundNo: string;
    readonly refundId: string;
    readonly totalFee: number;
    readonly refundFee: number;
    readonly state: RefundState;
    readonly succeededAt: Date | null;
    readonly source: RefundSource;
}

/** A refund notification as read: it carries no sign, only the encrypted req_info. */
export interface RefundNotice {
    readonly fields: Readonly<Record<string, string>>;
}

/** What a refund notification turned out to be: nothing to trust, or a refund of ours WeChat vouches for. */
export type RefundNoticeVerdict =
    | { readonly verdict: 'refused'; readonly decrypted: boolean; readonly reason: string; readonly outRefundNo?: string; readonly outTradeNo?: string }
    | { readonly verdict: 'refund'; readonly refund: WxRefund };

export interface PayGateway {
    /** How this gateway signs prepays: a prepay signed otherwise is not reused. */
    readonly prepaySignature: SignType;
    placePrepay(request: PrepayRequest): Promise<PrepayResult>;
    queryTrade(outTradeNo: string): Promise<TradeState>;
    closeTrade(outTradeNo: string): Promise<CloseResult>;
    /** Reads a notification body; throws (a WxXmlError) on one that is not well-formed. */
    readNotice(body: Buffer): Promise<PaymentNotice>;
    /** Signature, merchant and result, in that order; `prepaySignature` is the order's, when known. */
    judgeNotice(notice: PaymentNotice, prepaySignature: SignType | null): NoticeVerdict;
    /** /secapi refund: presents the merchant certificate. The same outRefundNo and amounts again ask for the same refund. */
    refund(request: RefundRequest): Promise<RefundResult>;
    /** refundquery for one refund; undefined when WeChat knows none by that number. */
    queryRefund(outRefundNo: string): Promise<WxRefund | undefined>;
    /** Reads a refund notification body; throws (a WxXmlError) on one that is not well-formed. */
    readRefundNotice(body: Buffer): Promise<RefundNotice>;
    /** Authentic only when req_info decrypts with our key and the appid and mch_id are ours. */
    judgeRefundNotice(notice: RefundNotice): Promise<RefundNoticeVerdict>;
    /** The re-signed prepay for wx.requestPayment. */
    requestPaymentParams(prepayId: string, signature: SignType, now?: Date): RequestPaymentParams;
    /**
     * Every payment and refund WeChat recorded on `day` (none on a day without trades), read as
     * it downloads and never held whole. They are WeChat's word only once the loop over them has
     * ended without an error, as the bill's own check (v2: its summary line) comes last: act on
     * none before. A bill past `limits.maxBytes` fails with a WechatBillTooLargeError.
     */
    downloadBill(day: BeijingDay, limits: BillLimits): AsyncIterable<BillEntry>;
}

/** How much of a bill a gateway reads before refusing it. */
export interface BillLimits {
    readonly maxBytes: number;
}

/** A Beijing calendar day, `YYYY-MM-DD`: WeChat's bills are cut at Beijing midnight. */
export type BeijingDay = string;

/** A payment as WeChat's bill of the day lists it. Money in fen. */
export interface BilledPayment {
    readonly outTradeNo: string;
    readonly transactionId: string;
    readonly totalFee: number;
    readonly paidAt: Date;
}

/** A refund as WeChat's bill of the day lists it. */
export interface BilledRefund {
    readonly outTradeNo: string;
    readonly outRefundNo: string;
    readonly refundFee: number;
}

/** One trade on WeChat's bill of a day: a payment, or a refund. */
export type BillEntry = ({ readonly kind: 'payment' } & BilledPayment) | ({ readonly kind: 'refund' } & BilledRefund);
