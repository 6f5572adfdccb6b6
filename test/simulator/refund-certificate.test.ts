import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ensureDevCertificates } from '../../src/simulator/dev-certificates';
import { verify } from '../../src/wechat/sign';
import { merchant, signedXml } from './harness';
import { httpsClient, newOutRefundNo, paidOrder, signedPost, startTlsSimulator, type TlsSimulator } from './tls-harness';

// /secapi/pay/refund wants the merchant's client certificate, as WeChat does: without one,
// or with one the CA did not issue for this mch_id, the answer is nginx's HTML 400 page,
// not XML, and nothing is refunded. The other Pay routes need none, over TLS or not.

describe('POST /secapi/pay/refund and the client certificate', () => {
    let simulator: TlsSimulator;
    let elsewhere: string;
    before(async () => {
        simulator = await startTlsSimulator();
        elsewhere = mkdtempSync(join(tmpdir(), 'foreign-ca-'));
    });
    after(async () => {
        await simulator.stop();
        rmSync(elsewhere, { recursive: true, force: true });
    });

    const refundOf = async (order: { outTradeNo: string; totalFee: number }) => ({
        out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: String(order.totalFee), refund_fee: '100',
    });
    const assertRefusedWithPage = async (response: { status: number; headers: Record<string, unknown>; data: string }, problem: string) => {
        assert.equal(response.status, 400);
        assert.match(String(response.headers['content-type']), /^text\/html/);
        assert.match(response.data, new RegExp(`<title>400 ${problem}</title>`));
        assert.doesNotMatch(response.data, /<xml>/);
    };
    const refundsOf = (outTradeNo: string) => signedPost(simulator.anonymousHttps, '/pay/refundquery', { out_trade_no: outTradeNo });

    it('accepts a refund from the merchant\'s certificate, loaded from its p12', async () => {
        const order = await paidOrder(simulator);
        const reply = await signedPost(simulator.merchantHttps, '/secapi/pay/refund', await refundOf(order));
        assert.equal(reply.return_code, 'SUCCESS');
        assert.equal(reply.result_code, 'SUCCESS');
        assert.equal(verify(reply, merchant.apiKey, 'MD5'), true);
    });

    it('refuses over plain HTTP: no certificate was sent', async () => {
        const order = await paidOrder(simulator);
        const response = await simulator.http.post<string>('/secapi/pay/refund', signedXml(await refundOf(order)), { responseType: 'text' });
        await assertRefusedWithPage(response, 'No required SSL certificate was sent');
        assert.equal((await refundsOf(order.outTradeNo)).err_code, 'REFUNDNOTEXIST');
    });

    it('refuses over TLS without a certificate', async () => {
        const order = await paidOrder(simulator);
        await assertRefusedWithPage(await simulator.anonymousHttps.post('/secapi/pay/refund', signedXml(await refundOf(order))), 'No required SSL certificate was sent');
        assert.equal((await refundsOf(order.outTradeNo)).err_code, 'REFUNDNOTEXIST');
    });

    it('refuses a certificate for this mch_id from another CA, and one from this CA for another mch_id', async () => {
        const foreign = ensureDevCertificates(elsewhere, merchant.mchId).merchant;
        // The simulator's own certificate folder: same CA, another merchant.
        const ownCaOtherMerchant = ensureDevCertificates(dirname(dirname(simulator.certs.ca.certPath)), '1230000109').merchant;

        for (const presented of [foreign, ownCaOtherMerchant]) {
            const agent = new Agent({ ca: simulator.certs.ca.cert, cert: presented.cert, key: presented.key });
            try {
                const order = await paidOrder(simulator);
                await assertRefusedWithPage(await httpsClient(simulator.tlsUrl, agent).post('/secapi/pay/refund', signedXml(await refundOf(order))), 'The SSL certificate error');
                assert.equal((await refundsOf(order.outTradeNo)).err_code, 'REFUNDNOTEXIST');
            }
            finally {
                agent.destroy();
            }
        }
    });

    it('serves the other Pay routes over TLS without a certificate', async () => {
        const order = await paidOrder(simulator);
        const reply = await signedPost(simulator.anonymousHttps, '/pay/orderquery', { out_trade_no: order.outTradeNo });
        assert.equal(reply.trade_state, 'SUCCESS');
    });
});
