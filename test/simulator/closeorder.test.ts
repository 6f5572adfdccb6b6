import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { merchant, pay, payCall, placeOrder, startSimulator, type RunningSimulator } from './harness';

// POST /pay/closeorder, and what a closed or paid order refuses afterwards. At timeScale
// 0.001 WeChat's 5-minute wait before closing is 300 ms.

const FIVE_SCALED_MINUTES_MS = 300;

describe('POST /pay/closeorder', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator({ timeScale: 0.001 });
    });
    after(() => simulator.server.stop());

    const close = (outTradeNo: string) => payCall(simulator, '/pay/closeorder', { out_trade_no: outTradeNo });

    it('refuses within 5 minutes of the first unifiedorder with SYSTEMERROR', async () => {
        const { outTradeNo } = await placeOrder(simulator);
        const reply = await close(outTradeNo);
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'FAIL');
        assert.equal(reply.err_code, 'SYSTEMERROR');
        assert.equal(reply.err_code_des, '订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟');
    });

    it('closes an unpaid order after 5 minutes; then it cannot be closed, ordered or paid again', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator);
        await sleep(FIVE_SCALED_MINUTES_MS);

        const closed = await close(outTradeNo);
        assert.equal(closed.result_code, 'SUCCESS');
        assert.equal(verify(closed, merchant.apiKey, 'MD5'), true);
        assert.equal((await payCall(simulator, '/pay/orderquery', { out_trade_no: outTradeNo })).trade_state, 'CLOSED');

        assert.equal((await close(outTradeNo)).err_code, 'ORDERCLOSED');
        assert.equal((await placeOrder(simulator, { out_trade_no: outTradeNo })).reply.err_code, 'ORDERCLOSED');
        const payment = await pay(simulator, prepayId);
        assert.equal(payment.status, 400);
        assert.match(payment.data.errMsg, /^requestPayment:fail .*closed/);
    });

    it('refuses to close a paid order with ORDERPAID, as unifiedorder refuses to reopen it', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator);
        assert.equal((await pay(simulator, prepayId)).status, 200);
        await sleep(FIVE_SCALED_MINUTES_MS);
        assert.equal((await close(outTradeNo)).err_code, 'ORDERPAID');
        assert.equal((await placeOrder(simulator, { out_trade_no: outTradeNo })).reply.err_code, 'ORDERPAID');
    });

    it('answers ORDERNOTEXIST for an order it never saw', async () => {
        assert.equal((await close('NeverPlaced2')).err_code, 'ORDERNOTEXIST');
    });

    it('needs out_trade_no', async () => {
        assert.deepEqual(await payCall(simulator, '/pay/closeorder', {}), { return_code: 'FAIL', return_msg: '缺少参数 out_trade_no' });
    });
});
