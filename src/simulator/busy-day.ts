import { randomBytes, randomInt } from 'node:crypto';

import { newTransactionId, openidFor } from './ids';
import type { Simulator } from './simulator';

/** A goods name as long as real shops write them: 商品名称 makes most of a bill row's bytes. */
export const BUSY_DAY_BODY = '【官方旗舰店】云南古树普洱茶熟茶饼357g×2饼礼盒装 送茶刀茶盘 年货节限定';

export interface BusyDay {
    readonly count: number;
    /** Every payment's amount in fen; by default each a different one, 1 fen to 1,000 yuan. */
    readonly totalFee?: number;
    readonly body?: string;
    /** When they were paid (a day's bill before today's, for one); by default now. */
    readonly paidAt?: Date;
}

/** A payment as the generator made it, for a test or a benchmark to write the same into the shop's books. */
export interface GeneratedPayment {
    readonly outTradeNo: string;
    readonly transactionId: string;
    readonly totalFee: number;
    readonly paidAt: Date;
}

/**
 * Payments other shoppers made without the app (as on a busy day of a large shop): paid orders
 * as WeChat Pay knows them, with no prepay and no notification, so their day's bill lists them.
 * They make a bill as large as needed without paying each through the app.
 */
export function makeBusyDay(simulator: Simulator, { count, totalFee, body = BUSY_DAY_BODY, paidAt = new Date() }: BusyDay): GeneratedPayment[] {
    const batch = randomBytes(6).toString('hex');
    const payments: GeneratedPayment[] = [];
    for (let index = 0; index < count; index += 1) {
        const order = simulator.orders.create({
            outTradeNo: `G${batch}${index}`,
            openid: openidFor(simulator.merchant.appId, `shopper${index % 1000}`),
            totalFee: totalFee ?? randomInt(1, 100_001),
            body,
            terms: { notifyUrl: '', signType: 'MD5' },
        });
        const payment = { transactionId: newTransactionId(paidAt), timeEnd: paidAt };
        simulator.orders.markPaid(order, payment);
        payments.push({ outTradeNo: order.outTradeNo, transactionId: payment.transactionId, totalFee: order.totalFee, paidAt });
    }
    return payments;
}
