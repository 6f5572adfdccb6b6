import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { fromBeijingCompact } from '../../src/wechat/time';
import { merchant, pay, payCall, placeOrder, startSimulator, type RunningSimulator } from './harness';

// POST /pay/orderquery: the order's trade_state, and the payment's details once paid.

describe('POST /pay/orderquery', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    const query = (fields: Record<string, string>) => payCall(simulator, '/pay/orderquery', fields);

    it('says NOTPAY for an order not paid yet, with nothing about a payment', async () => {
        const { outTradeNo } = await placeOrder(simulator);
        const reply = await query({ out_trade_no: outTradeNo });
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(reply.trade_state, 'NOTPAY');
        assert.equal(reply.trade_state_desc, '订单未支付');
        assert.equal(reply.out_trade_no, outTradeNo);
        assert.equal(reply.transaction_id, undefined);
        assert.equal(reply.total_fee, undefined);
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
    });

    it('says SUCCESS with the payment, by out_trade_no and by transaction_id alike', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { total_fee: '2500', attach: 'shop=1' });
        const paid = (await pay(simulator, prepayId)).data;

        const byOutTradeNo = await query({ out_trade_no: outTradeNo });
        const byTransactionId = await query({ transaction_id: paid.transaction_id });
        for (const reply of [byOutTradeNo, byTransactionId]) {
            assert.equal(reply.trade_state, 'SUCCESS');
            assert.equal(reply.trade_state_desc, '支付成功');
            assert.equal(reply.out_trade_no, outTradeNo);
            assert.equal(reply.transaction_id, paid.transaction_id);
            assert.match(reply.transaction_id as string, /^4200\d{24}$/);
            assert.equal(reply.total_fee, '2500');
            assert.equal(reply.cash_fee, '2500');
            assert.equal(reply.fee_type, 'CNY');
            assert.equal(reply.trade_type, 'JSAPI');
            assert.equal(reply.openid, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
            assert.equal(reply.attach, 'shop=1');
            assert.ok(reply.bank_type);
            assert.ok(Math.abs((fromBeijingCompact(reply.time_end as string)?.getTime() ?? 0) - Date.now()) < 5000);
            assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
        }
    });

    it('says PAYERROR after a failed payment, and USERPAYING while the user is paying', async () => {
        const failed = await placeOrder(simulator);
        assert.equal((await pay(simulator, failed.prepayId, 'MD5', 'fail')).status, 402);
        assert.equal((await query({ out_trade_no: failed.outTradeNo })).trade_state, 'PAYERROR');

        const paying = await placeOrder(simulator);
        assert.equal((await pay(simulator, paying.prepayId, 'MD5', 'userpaying')).status, 202);
        assert.equal((await query({ out_trade_no: paying.outTradeNo })).trade_state, 'USERPAYING');
        assert.equal((await pay(simulator, paying.prepayId)).status, 200);
        assert.equal((await query({ out_trade_no: paying.outTradeNo })).trade_state, 'SUCCESS');
    });

    it('answers ORDERNOTEXIST for an order it never saw, signed', async () => {
        for (const fields of [{ out_trade_no: 'NeverPlaced1' }, { transaction_id: '4200000000202601010000000000' }] as Array<Record<string, string>>) {
            const reply = await query(fields);
            assert.equal(reply.return_code, 'SUCCESS');
            assert.equal(reply.result_code, 'FAIL');
            assert.equal(reply.err_code, 'ORDERNOTEXIST');
            assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
        }
    });

    it('needs out_trade_no or transaction_id', async () => {
        const reply = await query({});
        assert.equal(reply.return_code, 'FAIL');
        assert.match(reply.return_msg as string, /out_trade_no/);
    });
});
