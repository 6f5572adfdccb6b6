import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BillError, parseBill } from '../../src/wechat/bill';

// downloadbill's ALL bill, read into typed rows and its summary: money in integer fen from
// the yuan strings (no floats), columns by their Chinese names, and WeChat's "No Bill Exist"
// as no bill rather than an error.

const HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
// In WeChat's documented format: a payment of 0.29 (the float trap: 0.29 * 100 is 28.999…),
// one of 100.07, and a partial refund of the latter.
const ROWS = [
    '`2026-11-30 09:15:02,`wxd930ea5d5a258f4f,`10000100,`0,`,`4200000483202611306974782501,`T1001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`OTHERS,`CNY,`0.29,`0.00,`0,`0,`0.00,`0.00,`,`,`测试商店-订单,`shop=1,`0.00174,`0.60%,`0.29,`0.00,`',
    '`2026-11-30 12:00:00,`wxd930ea5d5a258f4f,`10000100,`0,`,`4200000483202611306974782502,`T1002,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`CMB_CREDIT,`CNY,`100.07,`0.00,`0,`0,`0.00,`0.00,`,`,`测试商店-订单,`,`0.60042,`0.60%,`100.07,`0.00,`',
    '`2026-11-30 18:34:24,`wxd930ea5d5a258f4f,`10000100,`0,`,`4200000483202611306974782502,`T1002,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`REFUND,`CMB_CREDIT,`CNY,`0.00,`0.00,`50300103182026113013419046597,`R1002-1,`30.05,`0.00,`ORIGINAL,`SUCCESS,`测试商店-订单,`,`0.00000,`0.60%,`0.00,`30.05,`',
];
const SUMMARY = '`3,`100.36,`30.05,`0.00,`0.60216,`100.36,`30.05';
const BILL = [HEADER, ...ROWS, SUMMARY_HEADER, SUMMARY, ''].join('\r\n');
const NO_BILL_EXIST = '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg><error_code><![CDATA[20002]]></error_code></xml>';

describe('parseBill', () => {
    it('reads each row with its amounts in fen, and the summary', async () => {
        const bill = await parseBill(BILL);
        assert.ok(bill);
        assert.equal(bill.rows.length, 3);
        const [small, large, refund] = bill.rows;
        assert.deepEqual(small, {
            tradeTime: new Date('2026-11-30T01:15:02Z'),
            appId: 'wxd930ea5d5a258f4f',
            mchId: '10000100',
            transactionId: '4200000483202611306974782501',
            outTradeNo: 'T1001',
            openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
            tradeType: 'JSAPI',
            tradeState: 'SUCCESS',
            settlementTotalFee: 29,
            couponFee: 0,
            refundId: undefined,
            outRefundNo: undefined,
            settlementRefundFee: 0,
            refundStatus: undefined,
            body: '测试商店-订单',
            attach: 'shop=1',
            serviceCharge: '0.00174',
            totalFee: 29,
            refundFee: 0,
        });
        assert.equal(large?.settlementTotalFee, 10007);
        assert.equal(refund?.tradeState, 'REFUND');
        assert.equal(refund?.refundId, '50300103182026113013419046597');
        assert.equal(refund?.outRefundNo, 'R1002-1');
        assert.equal(refund?.settlementRefundFee, 3005);
        assert.equal(refund?.refundFee, 3005);
        assert.equal(refund?.refundStatus, 'SUCCESS');
        assert.equal(refund?.settlementTotalFee, 0);
        assert.deepEqual(bill.summary, {
            tradeCount: 3, settlementTotalFee: 10036, settlementRefundFee: 3005, couponRefundFee: 0, serviceCharge: '0.60216', totalFee: 10036, refundFee: 3005,
        });
    });

    it('reads WeChat\'s "No Bill Exist" as no bill', async () => {
        assert.equal(await parseBill(NO_BILL_EXIST), undefined);
    });

    it('reads a bill with a byte-order mark and bare \\n line ends alike', async () => {
        assert.deepEqual(await parseBill(`\uFEFF${BILL.replaceAll('\r\n', '\n')}`), await parseBill(BILL));
    });

    it('reads a body with commas in it, as WeChat writes 商品名称 unquoted', async () => {
        const bill = await parseBill(BILL.replace('`测试商店-订单,`shop=1', '`店铺1-商品1-1,商品1-2,`shop=1'));
        assert.deepEqual([bill?.rows[0]?.body, bill?.rows[0]?.attach, bill?.rows[0]?.totalFee], ['店铺1-商品1-1,商品1-2', 'shop=1', 29]);
    });

    it('reads a day whose only rows are refunds', async () => {
        const bill = await parseBill([HEADER, ROWS[2], SUMMARY_HEADER, '`1,`0.00,`30.05,`0.00,`0.00000,`0.00,`30.05'].join('\r\n'));
        assert.equal(bill?.rows[0]?.outRefundNo, 'R1002-1');
    });
});

describe('parseBill refuses, naming the line', () => {
    const replaceRow = (index: number, from: string, to: string) => BILL.replace(ROWS[index] as string, (ROWS[index] as string).replace(from, to));
    const refusals: Array<[string, string, RegExp]> = [
        ['another XML answer', '<xml><return_code>FAIL</return_code><return_msg>invalid bill_date</return_msg><error_code>20001</error_code></xml>', /invalid bill_date \(error_code 20001\)/],
        ['XML that is not WeChat\'s', '<html><body>502</body></html>', /neither a bill nor WeChat XML/],
        ['a bill without its summary', [HEADER, ...ROWS].join('\r\n'), /summary/],
        ['a header without a known column', BILL.replace('应结订单金额,', '结算金额,'), /line 1: header has no column 应结订单金额/],
        ['a row with a column too many', replaceRow(0, '`shop=1', '`shop=1,`extra'), /line 2: 28 values where the header has 27 columns/],
        ['an amount with three decimals', replaceRow(1, '`100.07,`0.00,`0,', '`100.070,`0.00,`0,'), /line 3: 应结订单金额 "100.070" is not an amount in yuan/],
        ['an amount in another notation', replaceRow(1, '`100.07,`0.00,`0,', '`1e2,`0.00,`0,'), /line 3: 应结订单金额/],
        ['a trade time that is not one', replaceRow(0, '2026-11-30 09:15:02', '2026-11-31 09:15:02'), /line 2: 交易时间/],
        ['a summary that disagrees with the rows', BILL.replace(SUMMARY, SUMMARY.replace('`100.36,`30.05', '`100.37,`30.05')), /应结订单总金额 is 10037 but the rows add up to 10036/],
        ['a summary whose count is not the rows\'', BILL.replace(SUMMARY, SUMMARY.replace('`3,', '`4,')), /总交易单数 is 4 but the rows add up to 3/],
        ['a line after the summary', `${BILL}${ROWS[0]}\r\n`, /line 7: the bill goes on after its summary/],
        ['an empty line among the rows', BILL.replace(`${ROWS[1]}\r\n`, `${ROWS[1]}\r\n\r\n`), /line 4: the bill goes on after an empty line/],
    ];
    for (const [what, text, message] of refusals) {
        it(what, async () => {
            await assert.rejects(parseBill(text), (error: unknown) => error instanceof BillError && message.test(error.message));
        });
    }
});
