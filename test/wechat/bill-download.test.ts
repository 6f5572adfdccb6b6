import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { billRows, parseBill, type BillRow } from '../../src/wechat/bill';
import { openBillBody, type BillBody } from '../../src/wechat/bill-download';

// A bill download read as it arrives: told apart from WeChat's XML by its first bytes, inflated
// when gzipped, split into lines however the chunks fall (a character split between two chunks
// included), held to a size and to an idle time, and read in slices that let other work run.

const HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const row = (index: number) => `\`2026-11-30 09:15:02,\`wxd930ea5d5a258f4f,\`10000100,\`0,\`,\`42000004832026113069${String(index).padStart(8, '0')},\`T${index},\`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,\`JSAPI,\`SUCCESS,\`OTHERS,\`CNY,\`1.00,\`0.00,\`0,\`0,\`0.00,\`0.00,\`,\`,\`【旗舰店】乌龙茶礼盒,\`,\`0.00600,\`0.60%,\`1.00,\`0.00,\``;

function billText(rows: number): string {
    const fee = (rows * 600).toString().padStart(6, '0');
    const summary = `\`${rows},\`${rows}.00,\`0.00,\`0.00,\`${fee.slice(0, -5)}.${fee.slice(-5)},\`${rows}.00,\`0.00`;
    return [HEADER, ...Array.from({ length: rows }, (_, index) => row(index)), SUMMARY_HEADER, summary, ''].join('\r\n');
}

/** `bytes` cut into pieces of `size`, as a socket may deliver them. */
function chunked(bytes: Buffer, size: number): Readable {
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) {
        pieces.push(bytes.subarray(at, at + size));
    }
    return Readable.from(pieces);
}

const LIMITS = { maxBytes: 10 * 1024 * 1024, idleMs: 1000 };
const ERRORS = { tooLarge: () => new Error('too large'), stalled: () => new Error('stalled') };

async function rowsOf(body: BillBody): Promise<BillRow[]> {
    assert.equal(body.kind, 'bill');
    const rows: BillRow[] = [];
    for await (const read of billRows(body.lines)) {
        rows.push(read);
    }
    return rows;
}

describe('openBillBody', () => {
    it('reads a gzip file and a plain CSV alike, however the chunks fall', async () => {
        const text = billText(50);
        const expected = (await parseBill(text))!.rows;
        // 7-byte pieces split the three-byte characters of the goods names and the \r\n line ends.
        assert.deepEqual(await rowsOf(await openBillBody(chunked(Buffer.from(text), 7), LIMITS, ERRORS)), expected);
        assert.deepEqual(await rowsOf(await openBillBody(chunked(gzipSync(text), 1), LIMITS, ERRORS)), expected);
    });

    it("tells WeChat's XML from a bill by its first bytes", async () => {
        const xml = '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg></xml>';
        assert.deepEqual(await openBillBody(chunked(Buffer.from(xml), 1), LIMITS, ERRORS), { kind: 'xml', text: xml });
    });

    it('fails a bill cut short: its summary never comes', async () => {
        const text = billText(10);
        const cut = Buffer.from(text.slice(0, text.indexOf(SUMMARY_HEADER)));
        await assert.rejects(async () => rowsOf(await openBillBody(chunked(cut, 64), LIMITS, ERRORS)), /must end with its summary/);
    });

    it('fails a gzip file cut short, with zlib\'s code', async () => {
        const gzipped = gzipSync(billText(10));
        await assert.rejects(async () => rowsOf(await openBillBody(chunked(gzipped.subarray(0, gzipped.length - 20), 64), LIMITS, ERRORS)),
            (error: NodeJS.ErrnoException) => /^Z_/.test(error.code ?? ''));
    });

    it('refuses past maxBytes of the download, and of the text a small gzip inflates to', async () => {
        const text = billText(200);
        await assert.rejects(async () => rowsOf(await openBillBody(chunked(Buffer.from(text), 1024), { ...LIMITS, maxBytes: 8 * 1024 }, ERRORS)), /too large/);
        const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 'a'));
        assert.ok(bomb.length < 8 * 1024);
        await assert.rejects(async () => rowsOf(await openBillBody(chunked(bomb, 1024), { ...LIMITS, maxBytes: 64 * 1024 }, ERRORS)), /too large/);
    });

    it('gives up on a download that stops sending for idleMs', async () => {
        const silent = new Readable({ read() {} });
        silent.push(Buffer.from(`${HEADER}\r\n`));
        const started = Date.now();
        await assert.rejects(async () => rowsOf(await openBillBody(silent, { ...LIMITS, idleMs: 200 }, ERRORS)), /stalled/);
        assert.ok(Date.now() - started < 2000);
        assert.equal(silent.destroyed, true);
    });

    it('closes the download when the reader leaves the loop early, gzipped or not', async () => {
        for (const bytes of [Buffer.from(billText(100)), gzipSync(billText(100))]) {
            const source = chunked(bytes, 256);
            const body = await openBillBody(source, LIMITS, ERRORS);
            assert.equal(body.kind, 'bill');
            for await (const line of body.lines) {
                assert.ok(line);
                break;
            }
            // The gzip path closes its end of the pipeline on the next turn.
            await new Promise((resolve) => setImmediate(resolve));
            assert.equal(source.destroyed, true);
        }
    });

    it('lets timers run while it reads a large bill already in memory', async () => {
        let ticks = 0;
        const timer = setInterval(() => {
            ticks += 1;
        }, 1);
        try {
            const rows = await rowsOf(await openBillBody(chunked(Buffer.from(billText(50_000)), 64 * 1024), { ...LIMITS, maxBytes: 64 * 1024 * 1024 }, ERRORS));
            assert.equal(rows.length, 50_000);
        }
        finally {
            clearInterval(timer);
        }
        assert.ok(ticks >= 5, `${ticks} timer ticks while reading`);
    });
});
