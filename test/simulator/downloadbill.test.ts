import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { parseBill, type Bill } from '../../src/wechat/bill';
import { toBeijingCompact } from '../../src/wechat/time';
import { parseWxXml } from '../../src/wechat/xml';
import { eventually } from '../helpers/wait';
import { payCall, signedXml } from './harness';
import { newOutRefundNo, paidOrder, signedPost, startTlsSimulator, type TlsSimulator } from './tls-harness';

// POST /pay/downloadbill (bill_type ALL, no certificate): WeChat's backtick-prefixed CSV
// with Chinese headers and a summary, built from the simulator's own payments and refunds
// of that Beijing day, or with tar_type=GZIP the same CSV gzipped; "No Bill Exist" for a day
// without any (XML either way); POST /simulator/bills/tamper to make the bill disagree with
// the shop's books, and POST /simulator/bills/payments to make it as large as a busy day's.

describe('POST /pay/downloadbill', () => {
    let simulator: TlsSimulator;
    let billDate: string;
    let paidOnce: { outTradeNo: string; transactionId: string; totalFee: number };
    let refunded: { outTradeNo: string; transactionId: string; totalFee: number };
    let outRefundNo: string;
    before(async () => {
        simulator = await startTlsSimulator();
        paidOnce = await paidOrder(simulator, 1999);
        refunded = await paidOrder(simulator, 5000);
        outRefundNo = newOutRefundNo();
        await signedPost(simulator.merchantHttps, '/secapi/pay/refund', { out_trade_no: refunded.outTradeNo, out_refund_no: outRefundNo, total_fee: '5000', refund_fee: '1234' });
        await eventually('the refund settled', async () =>
            ((await signedPost(simulator.http, '/pay/refundquery', { out_refund_no: outRefundNo })).refund_status_0 === 'SUCCESS' ? true : undefined));
        // The bill's day is the payment's Beijing day, even if this runs across midnight there.
        billDate = ((await payCall(simulator, '/pay/orderquery', { out_trade_no: paidOnce.outTradeNo })).time_end as string).slice(0, 8);
    });
    afterEach(() => simulator.http.delete('/simulator/bills/tamper'));
    after(() => simulator.stop());

    const download = async (fields: Record<string, string> = {}) =>
        (await simulator.http.post<string>('/pay/downloadbill', signedXml({ bill_date: billDate, bill_type: 'ALL', ...fields }), { responseType: 'text' }));
    const downloadGzip = async (fields: Record<string, string> = {}) =>
        (await simulator.http.post<Buffer>('/pay/downloadbill', signedXml({ bill_date: billDate, bill_type: 'ALL', tar_type: 'GZIP', ...fields }), { responseType: 'arraybuffer' }));
    const bill = async (): Promise<Bill> => {
        const parsed = await parseBill((await download()).data);
        assert.ok(parsed);
        return parsed;
    };
    const tamper = async (body: Record<string, unknown>) => assert.equal((await simulator.http.post('/simulator/bills/tamper', body)).status, 201);

    it('answers the day\'s CSV: Chinese header, backtick-prefixed values, summary last', async () => {
        const response = await download();
        assert.equal(response.status, 200);
        assert.match(String(response.headers['content-type']), /^text\/plain; charset=utf-8/);
        const lines = response.data.split('\r\n');
        assert.match(lines[0] as string, /^交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,/);
        assert.match(lines[1] as string, /^`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},`wx/);
        assert.equal(lines.at(-3), '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');
        assert.equal(lines.at(-1), '');
    });

    it('lists each payment and refund of the day, with a summary that adds them up', async () => {
        const { rows, summary } = await bill();
        const payment = (outTradeNo: string) => rows.find((row) => row.outTradeNo === outTradeNo && row.tradeState === 'SUCCESS');
        assert.equal(payment(paidOnce.outTradeNo)?.settlementTotalFee, 1999);
        assert.equal(payment(paidOnce.outTradeNo)?.transactionId, paidOnce.transactionId);
        assert.equal(payment(paidOnce.outTradeNo)?.serviceCharge, '0.11994');
        assert.equal(payment(refunded.outTradeNo)?.totalFee, 5000);
        const refund = rows.find((row) => row.tradeState === 'REFUND');
        assert.deepEqual([refund?.outTradeNo, refund?.outRefundNo, refund?.settlementRefundFee, refund?.refundStatus], [refunded.outTradeNo, outRefundNo, 1234, 'SUCCESS']);
        assert.deepEqual([summary.tradeCount, summary.settlementTotalFee, summary.settlementRefundFee, summary.totalFee, summary.refundFee], [3, 6999, 1234, 6999, 1234]);
    });

    it('answers the same CSV as a gzip file with tar_type=GZIP', async () => {
        const gzipped = await downloadGzip();
        assert.equal(gzipped.status, 200);
        assert.match(String(gzipped.headers['content-type']), /^application\/octet-stream/);
        assert.deepEqual([...gzipped.data.subarray(0, 2)], [0x1f, 0x8b]);
        assert.equal(gunzipSync(gzipped.data).toString('utf8'), (await download()).data);
    });

    it('answers its refusals as XML with tar_type=GZIP too, and refuses another tar_type', async () => {
        const noBill = await downloadGzip({ bill_date: '20200101' });
        assert.match(String(noBill.headers['content-type']), /^text\/xml/);
        assert.deepEqual(await parseWxXml(noBill.data.toString('utf8')), { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
        const zip = await parseWxXml((await download({ tar_type: 'ZIP' })).data);
        assert.deepEqual([zip.return_code, zip.return_msg], ['FAIL', 'invalid tar_type']);
    });

    it('answers "No Bill Exist" for a day without trades, which parseBill reads as no bill', async () => {
        const response = await download({ bill_date: '20200101' });
        assert.deepEqual(await parseWxXml(response.data), { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
        assert.equal(await parseBill(response.data), undefined);
    });

    it('refuses a day to come, a bill_type other than ALL and a malformed date', async () => {
        const tomorrow = toBeijingCompact(new Date(Date.now() + 36 * 60 * 60 * 1000)).slice(0, 8);
        for (const [fields, message] of [[{ bill_date: tomorrow }, 'invalid bill_date'], [{ bill_date: '2026-11-30' }, 'invalid bill_date'], [{ bill_type: 'SUCCESS' }, 'invalid bill_type']] as const) {
            const reply = await parseWxXml((await download(fields)).data);
            assert.equal(reply.return_code, 'FAIL');
            assert.equal(reply.return_msg, message);
        }
    });

    it('can leave a payment out, the summary following', async () => {
        await tamper({ out_trade_no: paidOnce.outTradeNo, action: 'drop' });
        const { rows, summary } = await bill();
        assert.equal(rows.find((row) => row.outTradeNo === paidOnce.outTradeNo), undefined);
        assert.equal(summary.tradeCount, 2);
        assert.equal(summary.settlementTotalFee, 5000);
    });

    it('can change a payment\'s amount, and a refund\'s', async () => {
        await tamper({ out_trade_no: paidOnce.outTradeNo, action: 'amount', amount: 1998 });
        await tamper({ out_trade_no: refunded.outTradeNo, out_refund_no: outRefundNo, action: 'amount', amount: 1000 });
        const { rows } = await bill();
        assert.equal(rows.find((row) => row.outTradeNo === paidOnce.outTradeNo)?.settlementTotalFee, 1998);
        assert.equal(rows.find((row) => row.outRefundNo === outRefundNo)?.settlementRefundFee, 1000);
        assert.equal(rows.find((row) => row.outTradeNo === refunded.outTradeNo && row.tradeState === 'SUCCESS')?.settlementTotalFee, 5000);
    });

    it('can leave a refund out, and DELETE puts the bill back as it was', async () => {
        await tamper({ out_trade_no: refunded.outTradeNo, out_refund_no: outRefundNo, action: 'drop' });
        assert.equal((await bill()).rows.some((row) => row.tradeState === 'REFUND'), false);
        assert.equal((await simulator.http.delete('/simulator/bills/tamper')).status, 204);
        assert.equal((await bill()).rows.length, 3);
    });

    it('refuses a tamper without its amount, naming it', async () => {
        const response = await simulator.http.post('/simulator/bills/tamper', { out_trade_no: paidOnce.outTradeNo, action: 'amount' });
        assert.equal(response.status, 400);
        assert.match(response.data.message, /amount/);
    });

    it('wants the merchant\'s signature, as every Pay call', async () => {
        const response = await simulator.http.post<string>('/pay/downloadbill', `<xml><bill_date>${billDate}</bill_date></xml>`, { responseType: 'text' });
        assert.equal((await parseWxXml(response.data)).return_code, 'FAIL');
    });
});

describe('POST /simulator/bills/payments', () => {
    let simulator: TlsSimulator;
    before(async () => {
        simulator = await startTlsSimulator();
    });
    after(() => simulator.stop());

    it("adds a busy day's payments to today's bill: 4,000 of them make a bill over 1 MB, less than a fifth of that gzipped", async () => {
        const made = await simulator.http.post('/simulator/bills/payments', { count: 4000 });
        assert.equal(made.status, 201);
        const payments = made.data.payments as Array<{ out_trade_no: string; transaction_id: string; total_fee: number; paid_at: string }>;
        assert.equal(payments.length, 4000);
        assert.equal(new Set(payments.map((payment) => payment.out_trade_no)).size, 4000);

        const billDate = toBeijingCompact(new Date(payments[0]!.paid_at)).slice(0, 8);
        const fields = { bill_date: billDate, bill_type: 'ALL' };
        const text = (await simulator.http.post<string>('/pay/downloadbill', signedXml(fields), { responseType: 'text' })).data;
        const gzipped = (await simulator.http.post<Buffer>('/pay/downloadbill', signedXml({ ...fields, tar_type: 'GZIP' }), { responseType: 'arraybuffer' })).data;
        assert.ok(Buffer.byteLength(text) > 1024 * 1024, `${Buffer.byteLength(text)} bytes`);
        assert.ok(gzipped.length < Buffer.byteLength(text) / 5, `${gzipped.length} bytes gzipped`);

        const bill = await parseBill(text);
        assert.equal(bill?.summary.tradeCount, 4000);
        const first = bill?.rows.find((row) => row.outTradeNo === payments[0]!.out_trade_no);
        assert.deepEqual([first?.transactionId, first?.totalFee, first?.tradeState], [payments[0]!.transaction_id, payments[0]!.total_fee, 'SUCCESS']);
        assert.equal(bill?.summary.totalFee, payments.reduce((sum, payment) => sum + payment.total_fee, 0));
    });

    it("puts them on an earlier day's bill with paid_at", async () => {
        const paidAt = new Date(Date.now() - 3 * 24 * 3_600_000);
        const made = await simulator.http.post('/simulator/bills/payments', { count: 3, total_fee: 250, paid_at: paidAt.toISOString() });
        assert.equal(made.status, 201);
        const fields = { bill_date: toBeijingCompact(paidAt).slice(0, 8), bill_type: 'ALL' };
        const bill = await parseBill((await simulator.http.post<string>('/pay/downloadbill', signedXml(fields), { responseType: 'text' })).data);
        assert.deepEqual(bill?.rows.map((row) => [row.outTradeNo, row.totalFee]), made.data.payments.map((payment: { out_trade_no: string }) => [payment.out_trade_no, 250]));
    });

    it('refuses a count it cannot make and a time to come, naming them', async () => {
        for (const [body, field] of [[{ count: 0 }, /count/], [{ count: 1, paid_at: new Date(Date.now() + 3_600_000).toISOString() }, /paid_at/]] as const) {
            const response = await simulator.http.post('/simulator/bills/payments', body);
            assert.equal(response.status, 400);
            assert.match(response.data.message, field);
        }
    });
});
