import type { SignType } from '../wechat/sign';
import { newPrepayId } from './ids';

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'USERPAYING' | 'PAYERROR';

export interface Payment {
    readonly transactionId: string;
    readonly timeEnd: Date;
}

/** What the latest unifiedorder for an order asked for; a repeat call replaces it. */
export interface OrderTerms {
    readonly notifyUrl: string;
    /** The notification is signed the way the prepay was. */
    readonly signType: SignType;
    readonly timeExpire?: Date;
}

export interface Order {
    readonly outTradeNo: string;
    readonly openid: string;
    readonly totalFee: number;
    readonly body: string;
    readonly attach?: string;
    /** Real ms of the first unifiedorder: closeorder must wait 5 (simulated) minutes after it. */
    readonly firstOrderedAt: number;
    terms: OrderTerms;
    /** Set in place by closeorder and the pay route; markPaid also indexes the transaction. */
    state: TradeState;
    payment?: Payment;
}

export type NewOrder = Omit<Order, 'firstOrderedAt' | 'state' | 'payment'>;

export interface Prepay {
    readonly order: Order;
    /** Real ms after which wx.requestPayment refuses it. */
    readonly expiresAt: number;
}

/** The merchant's orders as WeChat Pay knows them, by out_trade_no, transaction_id and prepay_id. */
export class Orders {
    private readonly byOutTradeNo = new Map<string, Order>();
    private readonly byTransactionId = new Map<string, Order>();
    private readonly prepays = new Map<string, Prepay>();

    find(outTradeNo: string): Order | undefined {
        return this.byOutTradeNo.get(outTradeNo);
    }

    findByTransactionId(transactionId: string): Order | undefined {
        return this.byTransactionId.get(transactionId);
    }

    all(): Order[] {
        return [...this.byOutTradeNo.values()];
    }

    findPrepay(prepayId: string): Prepay | undefined {
        return this.prepays.get(prepayId);
    }

    create(order: NewOrder): Order {
        const created: Order = { ...order, firstOrderedAt: Date.now(), state: 'NOTPAY' };
        this.byOutTradeNo.set(created.outTradeNo, created);
        return created;
    }

    issuePrepay(order: Order, expiresAt: number): string {
        const prepayId = newPrepayId(new Date());
        this.prepays.set(prepayId, { order, expiresAt });
        return prepayId;
    }

    markPaid(order: Order, payment: Payment): void {
        order.state = 'SUCCESS';
        order.payment = payment;
        this.byTransactionId.set(payment.transactionId, order);
    }
}
