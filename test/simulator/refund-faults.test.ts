import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { parseWxXml } from '../../src/wechat/xml';
import { eventually } from '../helpers/wait';
import { merchant, signedXml } from './harness';
import { newOutRefundNo, paidOrder, signedPost, startTlsSimulator, type TlsSimulator } from './tls-harness';

// Faults for refund calls through POST /simulator/faults: a timeout (WeChat refunds anyway), a
// call dropped on its way (nothing refunded), an answer lost after the refund was made, HTTP 500, a garbled body, a forged sign, and WeChat's business errors — the retryable
// SYSTEMERROR, BIZERR_NEED_RETRY, FREQUENCY_LIMITED and the final NOTENOUGH — before anything
// is refunded. The client certificate is still checked first.

describe('refund faults', () => {
    let simulator: TlsSimulator;
    before(async () => {
        simulator = await startTlsSimulator();
    });
    afterEach(() => simulator.http.delete('/simulator/faults'));
    after(() => simulator.stop());

    const inject = async (fault: Record<string, unknown>) => assert.equal((await simulator.http.post('/simulator/faults', fault)).status, 201);
    const refundFields = (order: { outTradeNo: string; totalFee: number }) => ({ out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: String(order.totalFee), refund_fee: '100' });
    const refundCount = async (outTradeNo: string) => {
        const reply = await signedPost(simulator.http, '/pay/refundquery', { out_trade_no: outTradeNo });
        return reply.err_code === 'REFUNDNOTEXIST' ? 0 : Number(reply.refund_count);
    };

    for (const [fault, errCode] of [['systemerror', 'SYSTEMERROR'], ['bizerr_need_retry', 'BIZERR_NEED_RETRY'], ['frequency_limited', 'FREQUENCY_LIMITED'], ['notenough', 'NOTENOUGH']] as const) {
        it(`${fault} answers a signed ${errCode} and refunds nothing; the same request then goes through`, async () => {
            const order = await paidOrder(simulator);
            const fields = refundFields(order);
            await inject({ endpoint: 'refund', fault });
            const refused = await signedPost(simulator.merchantHttps, '/secapi/pay/refund', fields);
            assert.equal(refused.result_code, 'FAIL');
            assert.equal(refused.err_code, errCode);
            assert.equal(verify(refused, merchant.apiKey, 'MD5'), true);
            assert.equal(await refundCount(order.outTradeNo), 0);
            assert.equal((await signedPost(simulator.merchantHttps, '/secapi/pay/refund', fields)).result_code, 'SUCCESS');
        });
    }

    it('timeout holds the reply past the caller\'s patience, and the refund is made all the same', async () => {
        const order = await paidOrder(simulator);
        const fields = refundFields(order);
        // Generous: the caller must get its request (TLS handshake and all) to WeChat before giving up, even on a loaded machine.
        await inject({ endpoint: 'refund', fault: 'timeout', delayMs: 2500 });
        await assert.rejects(simulator.merchantHttps.post('/secapi/pay/refund', signedXml(fields), { timeout: 1000 }), (error: { code?: string }) => error.code === 'ECONNABORTED');
        await eventually('the held refund made', async () => ((await refundCount(order.outTradeNo)) === 1 ? true : undefined), 10_000, 100);
        // Retried with the same out_refund_no and amounts, it is the same refund.
        assert.equal((await signedPost(simulator.merchantHttps, '/secapi/pay/refund', fields)).result_code, 'SUCCESS');
        assert.equal(await refundCount(order.outTradeNo), 1);
    });

    it('dropped holds the call, then closes the connection having refunded nothing', async () => {
        const order = await paidOrder(simulator);
        await inject({ endpoint: 'refund', fault: 'dropped', delayMs: 300 });
        await assert.rejects(simulator.merchantHttps.post('/secapi/pay/refund', signedXml(refundFields(order)), { timeout: 5000 }), (error: { code?: string }) => error.code === 'ECONNRESET');
        assert.equal(await refundCount(order.outTradeNo), 0);
    });

    it('reply_lost refunds at once, then closes the connection without the answer', async () => {
        const order = await paidOrder(simulator);
        const fields = refundFields(order);
        await inject({ endpoint: 'refund', fault: 'reply_lost', delayMs: 1500 });
        const call = simulator.merchantHttps.post('/secapi/pay/refund', signedXml(fields), { timeout: 10_000 });
        // Made while the answer is still held.
        await eventually('the refund made before its answer', async () => ((await refundCount(order.outTradeNo)) === 1 ? true : undefined), 1400, 20);
        await assert.rejects(call, (error: { code?: string }) => error.code === 'ECONNRESET');
        const listed = await simulator.http.get('/simulator/refunds', { params: { out_trade_no: order.outTradeNo } });
        assert.deepEqual(listed.data.map((one: { out_refund_no: string; refund_fee: number }) => [one.out_refund_no, one.refund_fee]), [[fields.out_refund_no, 100]]);
    });

    it('http500, garbled and badsign refund nothing', async () => {
        const order = await paidOrder(simulator);
        await inject({ endpoint: 'refund', fault: 'http500' });
        assert.equal((await simulator.merchantHttps.post('/secapi/pay/refund', signedXml(refundFields(order)))).status, 500);
        await inject({ endpoint: 'refund', fault: 'garbled' });
        await assert.rejects(parseWxXml((await simulator.merchantHttps.post<string>('/secapi/pay/refund', signedXml(refundFields(order)))).data));
        await inject({ endpoint: 'refund', fault: 'badsign' });
        const forged = await signedPost(simulator.merchantHttps, '/secapi/pay/refund', refundFields(order));
        assert.equal(forged.result_code, 'SUCCESS');
        assert.match(forged.refund_id as string, /^50/);
        assert.equal(verify(forged, merchant.apiKey, 'MD5'), false);
        assert.equal(await refundCount(order.outTradeNo), 0);
    });

    it('a fault waits behind the certificate check: a call without one is refused and leaves the fault in place', async () => {
        const order = await paidOrder(simulator);
        await inject({ endpoint: 'refund', fault: 'notenough' });
        assert.equal((await simulator.anonymousHttps.post('/secapi/pay/refund', signedXml(refundFields(order)))).status, 400);
        assert.equal((await signedPost(simulator.merchantHttps, '/secapi/pay/refund', refundFields(order))).err_code, 'NOTENOUGH');
    });

    it('refundquery takes faults too', async () => {
        await inject({ endpoint: 'refundquery', fault: 'systemerror' });
        assert.equal((await signedPost(simulator.http, '/pay/refundquery', { out_trade_no: 'Anything1' })).err_code, 'SYSTEMERROR');
    });
});
