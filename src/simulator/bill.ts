import { toBeijingCompact, toBeijingDateTime } from '../wechat/time';
import { fenToYuan } from '../wechat/yuan';
import type { Order, Payment } from './orders';
import type { Refund } from './refunds';
import type { Simulator } from './simulator';

/** The ALL bill's 27 columns and its summary's 7, as WeChat writes them. */
export const BILL_HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const BILL_SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

/** What WeChat answers for a day without trades. */
export const NO_BILL_EXIST = 'No Bill Exist';

/** The simulated merchant's fee: 0.6% of each payment, written to the 0.00001 yuan as WeChat does. */
const FEE_RATE = '0.60%';
const FEE_HUNDRED_THOUSANDTHS_PER_FEN = 6;

/** A change to the next bills, so reconciliation has something to find: a row left out, or an amount changed. */
export interface BillTamper {
    readonly outTradeNo: string;
    /** Aims at this refund's row instead of the payment's. */
    readonly outRefundNo?: string;
    readonly action: 'drop' | 'amount';
    /** For `amount`: what the row says instead, in fen. */
    readonly amount?: number;
}

export class BillTampers {
    private tampers: BillTamper[] = [];

    add(tamper: BillTamper): void {
        this.tampers.push(tamper);
    }

    clear(): void {
        this.tampers = [];
    }

    of(outTradeNo: string, outRefundNo?: string): BillTamper | undefined {
        // The latest word on a row wins.
        return [...this.tampers].reverse().find((tamper) => tamper.outTradeNo === outTradeNo && tamper.outRefundNo === outRefundNo);
    }
}

interface Row {
    readonly at: Date;
    readonly columns: readonly string[];
    readonly settled: number;
    readonly refunded: number;
    readonly fee: number;
    readonly ordered: number;
    readonly refundAsked: number;
}

/**
 * The ALL bill of the Beijing day `billDate` (yyyyMMdd): every payment made and every refund
 * asked that day, each value backtick-prefixed as WeChat writes them so spreadsheets keep
 * long numbers whole, then the summary of the rows shown. Undefined on a day without any.
 */
export function buildBill(simulator: Simulator, billDate: string): string | undefined {
    const onDay = (date: Date) => toBeijingCompact(date).startsWith(billDate);
    const payments = simulator.orders.all()
        .filter((order): order is Order & { payment: Payment } => order.payment !== undefined && onDay(order.payment.timeEnd))
        .map((order) => paymentRow(simulator, order, order.payment));
    const refunds = simulator.refunds.all()
        .filter((refund) => onDay(refund.requestedAt))
        .map((refund) => refundRow(simulator, refund));
    const shown = [...payments, ...refunds].filter((row): row is Row => row !== undefined).sort((a, b) => a.at.getTime() - b.at.getTime());
    if (payments.length + refunds.length === 0) {
        return undefined;
    }

    const total = (pick: (row: Row) => number) => shown.reduce((sum, row) => sum + pick(row), 0);
    const summary = [
        String(shown.length), fenToYuan(total((row) => row.settled)), fenToYuan(total((row) => row.refunded)), '0.00',
        feeText(total((row) => row.fee)), fenToYuan(total((row) => row.ordered)), fenToYuan(total((row) => row.refundAsked)),
    ];
    return [BILL_HEADER, ...shown.map((row) => line(row.columns)), BILL_SUMMARY_HEADER, line(summary)].join('\r\n') + '\r\n';
}

function paymentRow(simulator: Simulator, order: Order, payment: Payment): Row | undefined {
    const tamper = simulator.bills.of(order.outTradeNo);
    if (tamper?.action === 'drop') {
        return undefined;
    }
    const amount = tamper?.amount ?? order.totalFee;
    const fee = amount * FEE_HUNDRED_THOUSANDTHS_PER_FEN;
    return {
        at: payment.timeEnd,
        columns: common(simulator, order, payment.timeEnd, 'SUCCESS', [fenToYuan(amount), '0.00', '0', '0', '0.00', '0.00', '', ''], feeText(fee), [fenToYuan(amount), '0.00']),
        settled: amount, refunded: 0, fee, ordered: amount, refundAsked: 0,
    };
}

function refundRow(simulator: Simulator, refund: Refund): Row | undefined {
    const tamper = simulator.bills.of(refund.order.outTradeNo, refund.outRefundNo);
    if (tamper?.action === 'drop') {
        return undefined;
    }
    const amount = tamper?.amount ?? refund.refundFee;
    const refundColumns = ['0.00', '0.00', refund.refundId, refund.outRefundNo, fenToYuan(amount), '0.00', 'ORIGINAL', refund.status];
    return {
        at: refund.requestedAt,
        columns: common(simulator, refund.order, refund.requestedAt, 'REFUND', refundColumns, feeText(0), ['0.00', fenToYuan(amount)]),
        settled: 0, refunded: amount, fee: 0, ordered: 0, refundAsked: amount,
    };
}

/** One row: columns 0-11 from the order, 12-19 as given, then body, attach, fee, rate, 24-25 as given, rate note. */
function common(simulator: Simulator, order: Order, at: Date, tradeState: string, money: readonly string[], fee: string, totals: readonly string[]): string[] {
    const { appId, mchId } = simulator.merchant;
    return [
        toBeijingDateTime(at), appId, mchId, '0', '', order.payment?.transactionId ?? '', order.outTradeNo, order.openid, 'JSAPI', tradeState, 'OTHERS', 'CNY',
        ...money, order.body, order.attach ?? '', fee, FEE_RATE, ...totals, '',
    ];
}

function line(values: readonly string[]): string {
    return values.map((value) => `\`${value}`).join(',');
}

/** Hundred-thousandths of a yuan as WeChat writes a fee: `11994` → `0.11994`. */
function feeText(hundredThousandths: number): string {
    const digits = String(hundredThousandths).padStart(6, '0');
    return `${digits.slice(0, -5)}.${digits.slice(-5)}`;
}
