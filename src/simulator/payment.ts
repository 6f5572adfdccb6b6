import { sameSignature, sign, type SignType } from '../wechat/sign';
import { newTransactionId } from './ids';
import { failedNotification, paidNotification } from './messages';
import type { Order } from './orders';
import type { Simulator } from './simulator';

/** What the user does at the cashier: pay, fail to (e.g. not enough balance), or not finish yet. */
export const PAY_OUTCOMES = ['success', 'fail', 'userpaying'] as const;
export type PayOutcome = (typeof PAY_OUTCOMES)[number];

/** Exactly the object the mini-program passes to wx.requestPayment. */
export interface RequestPaymentParams {
    readonly appId?: string;
    readonly timeStamp: string;
    readonly nonceStr: string;
    readonly package: string;
    readonly signType: SignType;
    readonly paySign: string;
}

export interface PaymentResult {
    readonly status: number;
    readonly body: Readonly<Record<string, string>>;
}

const PREPAY_PREFIX = 'prepay_id=';

/**
 * wx.requestPayment as WeChat's client runs it: the paySign must be the merchant's signature
 * of the parameters, the prepay_id known and unexpired, the order still payable. A success
 * pays the order and starts the notification; `fail` leaves it PAYERROR with a FAIL
 * notification; `userpaying` leaves it USERPAYING. Both stay payable, as WeChat lets the
 * user try again.
 */
export function requestPayment(simulator: Simulator, params: RequestPaymentParams, outcome: PayOutcome): PaymentResult {
    const { merchant, orders } = simulator;
    if (params.appId !== undefined && params.appId !== merchant.appId) {
        return refuse('appId is not the merchant\'s');
    }
    const signed = { appId: merchant.appId, timeStamp: params.timeStamp, nonceStr: params.nonceStr, package: params.package, signType: params.signType };
    if (!sameSignature(sign(signed, merchant.apiKey, params.signType), params.paySign)) {
        return refuse('支付验证签名失败');
    }
    const prepayId = prepayIdOf(params.package);
    const prepay = prepayId === undefined ? undefined : orders.findPrepay(prepayId);
    if (prepay === undefined) {
        return refuse('prepay_id does not exist');
    }
    if (Date.now() >= prepay.expiresAt) {
        return refuse('prepay_id has expired');
    }
    const { order } = prepay;
    const unpayable = unpayableReason(order);
    if (unpayable !== undefined) {
        return refuse(unpayable);
    }

    if (outcome === 'userpaying') {
        order.state = 'USERPAYING';
        return { status: 202, body: { errMsg: 'requestPayment:pending user is paying', out_trade_no: order.outTradeNo } };
    }
    if (outcome === 'fail') {
        order.state = 'PAYERROR';
        simulator.notifier.send({
            outTradeNo: order.outTradeNo,
            resultCode: 'FAIL',
            notifyUrl: order.terms.notifyUrl,
            xml: failedNotification(merchant, order),
        });
        return { status: 402, body: { errMsg: 'requestPayment:fail 支付失败', out_trade_no: order.outTradeNo } };
    }

    const now = new Date();
    const payment = { transactionId: newTransactionId(now), timeEnd: now };
    orders.markPaid(order, payment);
    simulator.notifier.send({
        outTradeNo: order.outTradeNo,
        transactionId: payment.transactionId,
        resultCode: 'SUCCESS',
        notifyUrl: order.terms.notifyUrl,
        xml: paidNotification(merchant, order, payment),
    });
    return { status: 200, body: { errMsg: 'requestPayment:ok', out_trade_no: order.outTradeNo, transaction_id: payment.transactionId } };
}

/** The prepay_id of a `package` that looks like `prepay_id=…`. */
export function prepayIdOf(packageText: string): string | undefined {
    return packageText.startsWith(PREPAY_PREFIX) ? packageText.slice(PREPAY_PREFIX.length) : undefined;
}

function unpayableReason(order: Order): string | undefined {
    if (order.state === 'SUCCESS') {
        return 'order is already paid';
    }
    if (order.state === 'CLOSED') {
        return 'order is closed';
    }
    const expiry = order.terms.timeExpire;
    return expiry !== undefined && expiry.getTime() <= Date.now() ? 'order has expired (time_expire)' : undefined;
}

function refuse(reason: string): PaymentResult {
    return { status: 400, body: { errMsg: `requestPayment:fail ${reason}` } };
}
