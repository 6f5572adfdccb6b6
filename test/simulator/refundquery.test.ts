import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { eventually } from '../helpers/wait';
import { merchant } from './harness';
import { newOutRefundNo, paidOrder, signedPost, startTlsSimulator, type TlsSimulator } from './tls-harness';

// POST /pay/refundquery (no certificate, as at WeChat): by refund_id, out_refund_no,
// transaction_id or out_trade_no, in that precedence; each refund's fields suffixed _$n;
// ten refunds per answer, `offset` for the rest; REFUNDNOTEXIST when there is none.

describe('POST /pay/refundquery', () => {
    let simulator: TlsSimulator;
    before(async () => {
        simulator = await startTlsSimulator();
    });
    after(() => simulator.stop());

    // Over plain HTTP: refundquery needs no certificate.
    const query = (fields: Record<string, string>) => signedPost(simulator.http, '/pay/refundquery', fields);
    const refund = (order: { outTradeNo: string; totalFee: number }, refundFee: number, outRefundNo = newOutRefundNo()) =>
        signedPost(simulator.merchantHttps, '/secapi/pay/refund', { out_trade_no: order.outTradeNo, out_refund_no: outRefundNo, total_fee: String(order.totalFee), refund_fee: String(refundFee) });

    it('finds one refund by out_refund_no or refund_id, and all of the order\'s by out_trade_no or transaction_id', async () => {
        const order = await paidOrder(simulator, 3000);
        const first = await refund(order, 1000);
        const second = await refund(order, 500);
        // timeScale 0.001: settled within 60 ms.
        await eventually('both refunds settled', async () => ((await query({ out_trade_no: order.outTradeNo })).refund_status_1 === 'SUCCESS' ? true : undefined));

        for (const one of [{ out_refund_no: second.out_refund_no as string }, { refund_id: second.refund_id as string }] as Array<Record<string, string>>) {
            const reply = await query(one);
            assert.equal(reply.result_code, 'SUCCESS');
            assert.equal(reply.refund_count, '1');
            assert.equal(reply.out_refund_no_0, second.out_refund_no);
            assert.equal(reply.refund_id_0, second.refund_id);
            assert.equal(reply.refund_fee_0, '500');
            assert.equal(reply.refund_fee, '500');
            assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
        }
        for (const all of [{ out_trade_no: order.outTradeNo }, { transaction_id: order.transactionId }] as Array<Record<string, string>>) {
            const reply = await query(all);
            assert.equal(reply.out_trade_no, order.outTradeNo);
            assert.equal(reply.transaction_id, order.transactionId);
            assert.equal(reply.total_fee, '3000');
            assert.equal(reply.cash_fee, '3000');
            assert.equal(reply.refund_count, '2');
            assert.equal(reply.refund_fee, '1500');
            assert.equal(reply.total_refund_count, undefined);
            assert.deepEqual([reply.out_refund_no_0, reply.refund_fee_0, reply.refund_status_0], [first.out_refund_no, '1000', 'SUCCESS']);
            assert.deepEqual([reply.out_refund_no_1, reply.refund_fee_1, reply.refund_status_1], [second.out_refund_no, '500', 'SUCCESS']);
            assert.equal(reply.refund_channel_0, 'ORIGINAL');
            assert.equal(reply.refund_recv_accout_0, '支付用户零钱');
            assert.match(reply.refund_success_time_0 as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        }
    });

    it('gives refund_id precedence over out_trade_no', async () => {
        const order = await paidOrder(simulator, 1000);
        const other = await paidOrder(simulator, 1000);
        const made = await refund(other, 300);
        const reply = await query({ refund_id: made.refund_id as string, out_trade_no: order.outTradeNo });
        assert.equal(reply.out_trade_no, other.outTradeNo);
    });

    it('lists ten refunds per answer, and the rest from offset with total_refund_count', async () => {
        const order = await paidOrder(simulator, 100);
        const made: string[] = [];
        for (let count = 0; count < 12; count += 1) {
            made.push((await refund(order, 1)).out_refund_no as string);
        }
        const firstPage = await query({ out_trade_no: order.outTradeNo });
        assert.equal(firstPage.refund_count, '10');
        assert.equal(firstPage.out_refund_no_9, made[9]);
        assert.equal(firstPage.out_refund_no_10, undefined);
        const rest = await query({ out_trade_no: order.outTradeNo, offset: '10' });
        assert.equal(rest.refund_count, '2');
        assert.equal(rest.total_refund_count, '12');
        assert.deepEqual([rest.out_refund_no_0, rest.out_refund_no_1], [made[10], made[11]]);
        assert.equal((await query({ out_trade_no: order.outTradeNo, offset: '12' })).err_code, 'PARAM_ERROR');
    });

    it('answers REFUNDNOTEXIST for a paid order without refunds and for ids it never issued', async () => {
        const order = await paidOrder(simulator, 1000);
        for (const fields of [{ out_trade_no: order.outTradeNo }, { out_refund_no: 'NeverRefunded' }, { refund_id: '50000000000000000000000000000' }, { out_trade_no: 'NeverPlaced1' }] as Array<Record<string, string>>) {
            const reply = await query(fields);
            assert.equal(reply.result_code, 'FAIL');
            assert.equal(reply.err_code, 'REFUNDNOTEXIST');
            assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
        }
    });

    it('needs one of the four ids', async () => {
        const reply = await query({});
        assert.equal(reply.return_code, 'FAIL');
        assert.match(reply.return_msg as string, /out_refund_no/);
    });
});
