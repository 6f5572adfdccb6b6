import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { REFUND_SETTLES_AFTER_SECONDS } from '../../src/simulator/refund-flow';
import { verify } from '../../src/wechat/sign';
import { eventually } from '../helpers/wait';
import { merchant, placeOrder } from './harness';
import { newOutRefundNo, paidOrder, signedPost, startTlsSimulator, type TlsSimulator } from './tls-harness';

// /secapi/pay/refund with the merchant's certificate: WeChat's checks, in its words. Success
// only means accepted: the refund is PROCESSING, and SUCCESS a (scaled) minute later.
// One out_refund_no refunds once: the same request again answers the same refund.

// timeScale 0.1: a refund settles 6 s after it is accepted, long enough to see it PROCESSING on a loaded machine.
const TIME_SCALE = 0.1;

describe('POST /secapi/pay/refund', () => {
    let simulator: TlsSimulator;
    before(async () => {
        simulator = await startTlsSimulator({ timeScale: TIME_SCALE });
    });
    after(() => simulator.stop());

    const refund = (fields: Record<string, string>) => signedPost(simulator.merchantHttps, '/secapi/pay/refund', fields);
    const query = (fields: Record<string, string>) => signedPost(simulator.merchantHttps, '/pay/refundquery', fields);
    const refundOf = (order: { outTradeNo: string; totalFee: number }, refundFee: number, outRefundNo = newOutRefundNo()) =>
        refund({ out_trade_no: order.outTradeNo, out_refund_no: outRefundNo, total_fee: String(order.totalFee), refund_fee: String(refundFee) });
    const assertRefused = (reply: Record<string, string>, errCode: string, description?: RegExp) => {
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'FAIL');
        assert.equal(reply.err_code, errCode);
        if (description) {
            assert.match(reply.err_code_des as string, description);
        }
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
    };

    it('accepts a partial refund, PROCESSING at first and SUCCESS about a simulated minute later', async () => {
        const order = await paidOrder(simulator, 2500);
        const outRefundNo = newOutRefundNo();
        const accepted = Date.now();
        const reply = await refundOf(order, 1000, outRefundNo);
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(reply.out_trade_no, order.outTradeNo);
        assert.equal(reply.transaction_id, order.transactionId);
        assert.equal(reply.out_refund_no, outRefundNo);
        assert.match(reply.refund_id as string, /^50\d{27}$/);
        assert.equal(reply.refund_fee, '1000');
        assert.equal(reply.total_fee, '2500');
        assert.equal(reply.cash_refund_fee, '1000');
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);

        assert.equal((await query({ out_refund_no: outRefundNo })).refund_status_0, 'PROCESSING');
        const settled = await eventually('the refund settled', async () => {
            const status = await query({ out_refund_no: outRefundNo });
            return status.refund_status_0 === 'SUCCESS' ? status : undefined;
        }, 20_000, 100);
        assert.ok(Date.now() - accepted >= REFUND_SETTLES_AFTER_SECONDS * 1000 * TIME_SCALE - 100);
        assert.match(settled.refund_success_time_0 as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });

    it('takes several partial refunds up to the paid total, then refuses what is left over', async () => {
        const order = await paidOrder(simulator, 1000);
        assert.equal((await refundOf(order, 600)).result_code, 'SUCCESS');
        assertRefused(await refundOf(order, 401), 'ERROR', /累计退款金额大于支付金额/);
        assert.equal((await refundOf(order, 400)).result_code, 'SUCCESS');
        assertRefused(await refundOf(order, 1), 'ERROR');
    });

    it('answers the same refund for the same out_refund_no and amounts, and refunds only once', async () => {
        const order = await paidOrder(simulator, 1000);
        const outRefundNo = newOutRefundNo();
        const first = await refundOf(order, 700, outRefundNo);
        const again = await refundOf(order, 700, outRefundNo);
        assert.equal(again.result_code, 'SUCCESS');
        assert.equal(again.refund_id, first.refund_id);
        const refunds = await query({ out_trade_no: order.outTradeNo });
        assert.equal(refunds.refund_count, '1');
        assert.equal(refunds.refund_fee, '700');
    });

    it('refuses the same out_refund_no with another amount as INVALID_REQUEST', async () => {
        const order = await paidOrder(simulator, 1000);
        const outRefundNo = newOutRefundNo();
        await refundOf(order, 300, outRefundNo);
        assertRefused(await refundOf(order, 400, outRefundNo), 'INVALID_REQUEST', /不一致/);
        assertRefused(await refund({ out_trade_no: order.outTradeNo, out_refund_no: outRefundNo, total_fee: '999', refund_fee: '300' }), 'INVALID_REQUEST');
        assert.equal((await query({ out_trade_no: order.outTradeNo })).refund_count, '1');
    });

    it('makes orderquery say REFUND for the order, with its payment still described', async () => {
        const order = await paidOrder(simulator, 1000);
        await refundOf(order, 100);
        const reply = await signedPost(simulator.merchantHttps, '/pay/orderquery', { out_trade_no: order.outTradeNo });
        assert.equal(reply.trade_state, 'REFUND');
        assert.equal(reply.trade_state_desc, '转入退款');
        assert.equal(reply.transaction_id, order.transactionId);
        assert.equal(reply.total_fee, '1000');
    });

    it('refunds by transaction_id as well', async () => {
        const order = await paidOrder(simulator, 800);
        const reply = await refund({ transaction_id: order.transactionId, out_refund_no: newOutRefundNo(), total_fee: '800', refund_fee: '800' });
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(reply.out_trade_no, order.outTradeNo);
    });

    it('refuses an unpaid order, an unknown order and an unknown transaction', async () => {
        const { outTradeNo } = await placeOrder(simulator);
        assertRefused(await refundOf({ outTradeNo, totalFee: 1999 }, 100), 'ERROR', /未支付/);
        assertRefused(await refundOf({ outTradeNo: 'NeverPlaced1', totalFee: 1999 }, 100), 'ORDERNOTEXIST');
        assertRefused(await refund({ transaction_id: '4200000000202601010000000000', out_refund_no: newOutRefundNo(), total_fee: '1', refund_fee: '1' }), 'INVALID_TRANSACTIONID');
    });

    it('refuses a total_fee that is not the order\'s', async () => {
        const order = await paidOrder(simulator, 1000);
        assertRefused(await refundOf({ ...order, totalFee: 1001 }, 100), 'INVALID_REQUEST');
    });

    it('refuses malformed fields as PARAM_ERROR naming them', async () => {
        const order = await paidOrder(simulator, 1000);
        const base = { out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: '1000', refund_fee: '100' };
        for (const [fields, named] of [
            [{ out_refund_no: 'R'.repeat(65) }, /out_refund_no/],
            [{ out_refund_no: 'R 1' }, /out_refund_no/],
            [{ refund_fee: '0' }, /refund_fee/],
            [{ refund_fee: '1.5' }, /refund_fee/],
            [{ notify_url: 'ftp://example.com/x' }, /notify_url/],
            [{ refund_desc: '退'.repeat(81) }, /refund_desc/],
            [{ refund_fee_type: 'USD' }, /refund_fee_type/],
        ] as const) {
            assertRefused(await refund({ ...base, ...fields }), 'PARAM_ERROR', named);
        }
        assert.equal((await query({ out_trade_no: order.outTradeNo })).err_code, 'REFUNDNOTEXIST');
    });

    it('takes an out_refund_no of 64 characters', async () => {
        const order = await paidOrder(simulator, 1000);
        assert.equal((await refundOf(order, 1, 'R'.padEnd(64, '0'))).result_code, 'SUCCESS');
    });

    it('refuses a 51st refund of one order', async () => {
        const order = await paidOrder(simulator, 100);
        for (let count = 0; count < 50; count += 1) {
            assert.equal((await refundOf(order, 1)).result_code, 'SUCCESS');
        }
        assertRefused(await refundOf(order, 1), 'ERROR', /50/);
    });

    it('refuses a bad signature and another merchant\'s appid before anything else', async () => {
        const order = await paidOrder(simulator, 1000);
        const forged = await simulator.merchantHttps.post<string>('/secapi/pay/refund',
            `<xml><appid>${merchant.appId}</appid><mch_id>${merchant.mchId}</mch_id><nonce_str>n</nonce_str><out_trade_no>${order.outTradeNo}</out_trade_no><out_refund_no>X1</out_refund_no><total_fee>1000</total_fee><refund_fee>1</refund_fee><sign>00000000000000000000000000000000</sign></xml>`);
        assert.match(forged.data, /签名错误/);
        const foreign = await refund({ appid: 'wx0000000000000000', out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: '1000', refund_fee: '1' });
        assert.equal(foreign.return_code, 'FAIL');
        assert.equal((await query({ out_trade_no: order.outTradeNo })).err_code, 'REFUNDNOTEXIST');
    });
});
