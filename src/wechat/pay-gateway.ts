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
    /** The re-signed prepay for wx.requestPayment. */
    requestPaymentParams(prepayId: string, signature: SignType, now?: Date): RequestPaymentParams;
    /** Every payment and refund WeChat recorded on `day` (an empty bill on a day without trades). */
    downloadBill(day: BeijingDay): Promise<DayBill>;
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

/** WeChat's account of one day: empty on a day without trades. */
export interface DayBill {
    readonly payments: readonly BilledPayment[];
    readonly refunds: readonly BilledRefund[];
}
