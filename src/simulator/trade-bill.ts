import { BILL_HEADER, BILL_SUMMARY_HEADER } from '../wechat/bill';
import { toBeijingCompact, toBeijingDateTime } from '../wechat/time';
import { fenToYuan } from '../wechat/yuan';
import type { Order, Payment } from './orders';
import type { Refund } from './refunds';
import type { Simulator } from './simulator';

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

/** One row's own values, money in fen; the order supplies the rest. */
interface Row {
    readonly order: Order;
    readonly at: Date;
    readonly tradeState: 'SUCCESS' | 'REFUND';
    /** 应结订单金额, 退款金额, 订单金额, 申请退款金额. */
    readonly settled: number;
    readonly refunded: number;
    readonly ordered: number;
    readonly refundAsked: number;
    /** Hundred-thousandths of a yuan. */
    readonly fee: number;
    readonly refund?: Refund;
}

/** The bill goes out in pieces of about this many characters, never as one string. */
const CHUNK_CHARACTERS = 64 * 1024;

/**
 * The ALL bill of the Beijing day `billDate` (yyyyMMdd): every payment made and every refund
 * asked that day, each value backtick-prefixed as WeChat writes them so spreadsheets keep
 * long numbers whole, then the summary of the rows shown. Undefined on a day without any.
 * The rows are chosen and added up now; their text is written piece by piece as it is read,
 * so a day of 100,000 trades never sits in memory as one string.
 */
export function buildBill(simulator: Simulator, billDate: string): Iterable<string> | undefined {
    const onDay = (date: Date) => toBeijingCompact(date).startsWith(billDate);
    const payments = simulator.orders.all().filter((order): order is Order & { payment: Payment } => order.payment !== undefined && onDay(order.payment.timeEnd));
    const refunds = simulator.refunds.all().filter((refund) => onDay(refund.requestedAt));
    if (payments.length + refunds.length === 0) {
        return undefined;
    }
    const shown = [...payments.map((order) => paymentRow(simulator, order, order.payment)), ...refunds.map((refund) => refundRow(simulator, refund))]
        .filter((row): row is Row => row !== undefined)
        .sort((a, b) => a.at.getTime() - b.at.getTime());

    const total = (pick: (row: Row) => number) => shown.reduce((sum, row) => sum + pick(row), 0);
    const summary = [
        String(shown.length), fenToYuan(total((row) => row.settled)), fenToYuan(total((row) => row.refunded)), '0.00',
        feeText(total((row) => row.fee)), fenToYuan(total((row) => row.ordered)), fenToYuan(total((row) => row.refundAsked)),
    ];
    return billText(simulator, shown, summary);
}

function* billText(simulator: Simulator, rows: readonly Row[], summary: readonly string[]): Generator<string> {
    let piece = `${BILL_HEADER}\r\n`;
    for (const row of rows) {
        piece += `${line(columns(simulator, row))}\r\n`;
        if (piece.length >= CHUNK_CHARACTERS) {
            yield piece;
            piece = '';
        }
    }
    yield `${piece}${BILL_SUMMARY_HEADER}\r\n${line(summary)}\r\n`;
}

function paymentRow(simulator: Simulator, order: Order, payment: Payment): Row | undefined {
    const tamper = simulator.bills.of(order.outTradeNo);
    if (tamper?.action === 'drop') {
        return undefined;
    }
    const amount = tamper?.amount ?? order.totalFee;
    return {
        order, at: payment.timeEnd, tradeState: 'SUCCESS',
        settled: amount, refunded: 0, ordered: amount, refundAsked: 0, fee: amount * FEE_HUNDRED_THOUSANDTHS_PER_FEN,
    };
}

function refundRow(simulator: Simulator, refund: Refund): Row | undefined {
    const tamper = simulator.bills.of(refund.order.outTradeNo, refund.outRefundNo);
    if (tamper?.action === 'drop') {
        return undefined;
    }
    const amount = tamper?.amount ?? refund.refundFee;
    return { order: refund.order, at: refund.requestedAt, tradeState: 'REFUND', settled: 0, refunded: amount, ordered: 0, refundAsked: amount, fee: 0, refund };
}

/** The 27 values of BILL_HEADER, in its order. */
function columns(simulator: Simulator, row: Row): string[] {
    const { order, refund } = row;
    return [
        toBeijingDateTime(row.at), simulator.merchant.appId, simulator.merchant.mchId, '0', '',
        order.payment?.transactionId ?? '', order.outTradeNo, order.openid, 'JSAPI', row.tradeState, 'OTHERS', 'CNY',
        fenToYuan(row.settled), '0.00', refund?.refundId ?? '0', refund?.outRefundNo ?? '0', fenToYuan(row.refunded), '0.00',
        refund === undefined ? '' : 'ORIGINAL', refund?.status ?? '',
        order.body, order.attach ?? '', feeText(row.fee), FEE_RATE, fenToYuan(row.ordered), fenToYuan(row.refundAsked), '',
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
