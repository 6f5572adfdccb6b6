import { fromBeijingDateTime } from './time';
import { parseWxXml, WxXmlError } from './xml';
import { yuanToFen, YuanError } from './yuan';

/** A bill that cannot be trusted as WeChat's: the line and column, never a guess. */
export class BillError extends Error {
    override readonly name = 'BillError';
}

/** One row of the ALL bill: a payment (trade_state SUCCESS), a refund (REFUND) or a reversal (REVOKED). Money in fen. */
export interface BillRow {
    readonly tradeTime: Date;
    readonly appId: string;
    readonly mchId: string;
    readonly transactionId: string;
    readonly outTradeNo: string;
    readonly openid: string;
    readonly tradeType: string;
    readonly tradeState: string;
    /** 应结订单金额: what the payment settles (0 on a refund row). */
    readonly settlementTotalFee: number;
    readonly couponFee: number;
    /** Only on refund rows: WeChat writes `0` or nothing on the others. */
    readonly refundId?: string;
    readonly outRefundNo?: string;
    /** 退款金额: what the refund settles. */
    readonly settlementRefundFee: number;
    readonly refundStatus?: string;
    readonly body: string;
    readonly attach: string;
    /** 手续费 as WeChat writes it, in yuan to five decimals: not a whole number of fen. */
    readonly serviceCharge: string;
    /** 订单金额 and 申请退款金额. */
    readonly totalFee: number;
    readonly refundFee: number;
}

export interface BillSummary {
    readonly tradeCount: number;
    readonly settlementTotalFee: number;
    readonly settlementRefundFee: number;
    readonly couponRefundFee: number;
    readonly serviceCharge: string;
    readonly totalFee: number;
    readonly refundFee: number;
}

export interface Bill {
    readonly rows: readonly BillRow[];
    readonly summary: BillSummary;
}

/** The ALL bill's 27 columns and its summary's 7, as WeChat writes them today. */
export const BILL_HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const BILL_SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

/** downloadbill's return_msg for a day without trades. */
export const NO_BILL_EXIST = 'No Bill Exist';

const SUMMARY_FIRST_COLUMN = '总交易单数';
const ROW_COLUMNS = {
    tradeTime: '交易时间', appId: '公众账号ID', mchId: '商户号', transactionId: '微信订单号', outTradeNo: '商户订单号', openid: '用户标识',
    tradeType: '交易类型', tradeState: '交易状态', settlementTotalFee: '应结订单金额', couponFee: '代金券金额', refundId: '微信退款单号',
    outRefundNo: '商户退款单号', settlementRefundFee: '退款金额', refundStatus: '退款状态', body: '商品名称', attach: '商户数据包',
    serviceCharge: '手续费', totalFee: '订单金额', refundFee: '申请退款金额',
} as const;
const SUMMARY_COLUMNS = {
    tradeCount: '总交易单数', settlementTotalFee: '应结订单总金额', settlementRefundFee: '退款总金额', couponRefundFee: '充值券退款总金额',
    serviceCharge: '手续费总金额', totalFee: '订单总金额', refundFee: '申请退款总金额',
} as const;
const SERVICE_CHARGE = /^-?\d{1,13}(?:\.\d{1,5})?$/;
const COUNT = /^\d{1,9}$/;

/**
 * Reads downloadbill's answer for bill_type ALL: the CSV (a header, one backtick-prefixed
 * line per trade or refund, the summary header and its line), or undefined for WeChat's
 * "No Bill Exist" (a day without trades is not an error). Columns are found by their
 * Chinese names; amounts become fen by string arithmetic; a summary that disagrees with the
 * rows, or any other XML answer, is a BillError. A bill too large to hold is read line by
 * line with a BillReader instead.
 */
export async function parseBill(text: string): Promise<Bill | undefined> {
    const body = text.replace(/^\uFEFF/, '');
    if (body.trimStart().startsWith('<')) {
        return noBill(body);
    }
    const reader = new BillReader();
    const rows: BillRow[] = [];
    for (const line of body.split(/\r?\n/)) {
        const row = reader.read(line);
        if (row !== undefined) {
            rows.push(row);
        }
    }
    return { rows, summary: reader.end() };
}

/** The rows of a bill read line by line as they arrive; the summary at the end, once checked against them. */
export async function* billRows(lines: AsyncIterable<string>): AsyncGenerator<BillRow, BillSummary> {
    const reader = new BillReader();
    for await (const line of lines) {
        const row = reader.read(line);
        if (row !== undefined) {
            yield row;
        }
    }
    return reader.end();
}

/**
 * The ALL bill read one line at a time, as it downloads: each trade's row as its line arrives,
 * the summary checked against the running totals at the end. The rows are WeChat's word only
 * once end() has returned: a download cut short, or damaged on the way, fails there.
 */
export class BillReader {
    private lineNumber = 0;
    private rowColumns: Columns<keyof typeof ROW_COLUMNS> | undefined;
    private summaryColumns: Columns<keyof typeof SUMMARY_COLUMNS> | undefined;
    private summary: BillSummary | undefined;
    /** The first of the empty lines read since the last line with text: only the bill's end may have them. */
    private blankAt: number | undefined;
    private readonly totals: RowTotals = { rows: 0, settlementTotalFee: 0, settlementRefundFee: 0, totalFee: 0, refundFee: 0 };

    /** The trade on this line (without its \r\n or \n); undefined for the header lines and the summary. */
    read(line: string): BillRow | undefined {
        this.lineNumber += 1;
        if (line === '') {
            this.blankAt ??= this.lineNumber;
            return undefined;
        }
        if (this.blankAt !== undefined || this.summary !== undefined) {
            throw new BillError(`line ${this.blankAt ?? this.lineNumber}: the bill goes on after ${this.blankAt === undefined ? 'its summary' : 'an empty line'}`);
        }
        if (this.rowColumns === undefined) {
            this.rowColumns = columnsOf(line.replace(/^\uFEFF/, ''), ROW_COLUMNS, this.lineNumber);
            return undefined;
        }
        if (this.summaryColumns !== undefined) {
            this.summary = readSummary(values(line, this.summaryColumns.count, this.lineNumber), this.summaryColumns.at, this.lineNumber);
            return undefined;
        }
        if (line.startsWith(SUMMARY_FIRST_COLUMN)) {
            this.summaryColumns = columnsOf(line, SUMMARY_COLUMNS, this.lineNumber);
            return undefined;
        }
        const row = readRow(values(line, this.rowColumns.count, this.lineNumber), this.rowColumns.at, this.lineNumber);
        this.totals.rows += 1;
        this.totals.settlementTotalFee += row.settlementTotalFee;
        this.totals.settlementRefundFee += row.settlementRefundFee;
        this.totals.totalFee += row.totalFee;
        this.totals.refundFee += row.refundFee;
        return row;
    }

    /** The bill's summary, once it is there and agrees with every row read. */
    end(): BillSummary {
        if (this.summary === undefined) {
            throw new BillError('bill must end with its summary header and one summary line');
        }
        checkSummary(this.totals, this.summary);
        return this.summary;
    }
}

async function noBill(xml: string): Promise<undefined> {
    let answer: Record<string, string>;
    try {
        answer = await parseWxXml(xml);
    }
    catch (error) {
        throw new BillError(`bill answer is neither a bill nor WeChat XML (${error instanceof WxXmlError ? error.message : 'unreadable'})`);
    }
    if (answer.return_msg === NO_BILL_EXIST) {
        return undefined;
    }
    throw new BillError(`WeChat gave no bill: ${answer.return_code ?? 'FAIL'} ${answer.return_msg ?? ''} (error_code ${answer.error_code ?? 'none'})`.trim());
}

interface Columns<Name extends string> {
    readonly count: number;
    readonly at: Readonly<Record<Name, number>>;
}

function columnsOf<Name extends string>(header: string, wanted: Readonly<Record<Name, string>>, lineNumber: number): Columns<Name> {
    const names = header.split(',');
    const at = {} as Record<Name, number>;
    for (const [field, name] of Object.entries(wanted) as Array<[Name, string]>) {
        const index = names.indexOf(name);
        if (index === -1) {
            throw new BillError(`line ${lineNumber}: header has no column ${name}`);
        }
        at[field] = index;
    }
    return { count: names.length, at };
}

/**
 * A line's values without WeChat's backtick prefixes; as many as the header has columns.
 * WeChat writes 商品名称 (the order's body) as it is, commas and all: every value of a
 * backtick-prefixed line begins with a backtick, so only a comma before one separates values.
 */
function values(line: string, count: number, lineNumber: number): string[] {
    const cells = line.startsWith('`') ? line.slice(1).split(',`') : line.split(',');
    if (cells.length !== count) {
        throw new BillError(`line ${lineNumber}: ${cells.length} values where the header has ${count} columns`);
    }
    return cells;
}

function readRow(cells: readonly string[], at: Readonly<Record<keyof typeof ROW_COLUMNS, number>>, lineNumber: number): BillRow {
    const text = (field: keyof typeof ROW_COLUMNS) => cells[at[field]] as string;
    const fen = (field: keyof typeof ROW_COLUMNS) => money(text(field), ROW_COLUMNS[field], lineNumber);
    // On a payment row WeChat fills the refund columns with 0 or leaves them empty.
    const refundText = (field: 'refundId' | 'outRefundNo' | 'refundStatus') => (text(field) === '' || text(field) === '0' ? undefined : text(field));
    const tradeTime = fromBeijingDateTime(text('tradeTime'));
    if (tradeTime === undefined) {
        throw new BillError(`line ${lineNumber}: 交易时间 "${text('tradeTime').slice(0, 32)}" is not yyyy-MM-dd HH:mm:ss`);
    }
    return {
        tradeTime,
        appId: text('appId'),
        mchId: text('mchId'),
        transactionId: text('transactionId'),
        outTradeNo: text('outTradeNo'),
        openid: text('openid'),
        tradeType: text('tradeType'),
        tradeState: text('tradeState'),
        settlementTotalFee: fen('settlementTotalFee'),
        couponFee: fen('couponFee'),
        refundId: refundText('refundId'),
        outRefundNo: refundText('outRefundNo'),
        settlementRefundFee: fen('settlementRefundFee'),
        refundStatus: refundText('refundStatus'),
        body: text('body'),
        attach: text('attach'),
        serviceCharge: serviceCharge(text('serviceCharge'), lineNumber),
        totalFee: fen('totalFee'),
        refundFee: fen('refundFee'),
    };
}

function readSummary(cells: readonly string[], at: Readonly<Record<keyof typeof SUMMARY_COLUMNS, number>>, lineNumber: number): BillSummary {
    const text = (field: keyof typeof SUMMARY_COLUMNS) => cells[at[field]] as string;
    const fen = (field: keyof typeof SUMMARY_COLUMNS) => money(text(field), SUMMARY_COLUMNS[field], lineNumber);
    if (!COUNT.test(text('tradeCount'))) {
        throw new BillError(`line ${lineNumber}: 总交易单数 "${text('tradeCount').slice(0, 16)}" is not a count`);
    }
    return {
        tradeCount: Number(text('tradeCount')),
        settlementTotalFee: fen('settlementTotalFee'),
        settlementRefundFee: fen('settlementRefundFee'),
        couponRefundFee: fen('couponRefundFee'),
        serviceCharge: serviceCharge(text('serviceCharge'), lineNumber),
        totalFee: fen('totalFee'),
        refundFee: fen('refundFee'),
    };
}

/** What the summary adds up, counted over the rows as they are read. */
interface RowTotals {
    rows: number;
    settlementTotalFee: number;
    settlementRefundFee: number;
    totalFee: number;
    refundFee: number;
}

/** The summary is WeChat's own checksum of the rows: a download that disagrees with it is damaged. */
function checkSummary(totals: RowTotals, summary: BillSummary): void {
    const expected: Array<[string, number, number]> = [
        ['总交易单数', summary.tradeCount, totals.rows],
        ['应结订单总金额', summary.settlementTotalFee, totals.settlementTotalFee],
        ['退款总金额', summary.settlementRefundFee, totals.settlementRefundFee],
        ['订单总金额', summary.totalFee, totals.totalFee],
        ['申请退款总金额', summary.refundFee, totals.refundFee],
    ];
    for (const [name, stated, counted] of expected) {
        if (stated !== counted) {
            throw new BillError(`summary ${name} is ${stated} but the rows add up to ${counted}`);
        }
    }
}

function money(text: string, column: string, lineNumber: number): number {
    try {
        return yuanToFen(text);
    }
    catch (error) {
        throw new BillError(`line ${lineNumber}: ${column} ${error instanceof YuanError ? error.message : 'is unreadable'}`);
    }
}

function serviceCharge(text: string, lineNumber: number): string {
    if (!SERVICE_CHARGE.test(text)) {
        throw new BillError(`line ${lineNumber}: 手续费 "${text.slice(0, 32)}" is not yuan to at most five decimals`);
    }
    return text;
}
