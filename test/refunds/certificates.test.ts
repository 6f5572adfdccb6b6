import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { EXAMPLE_MERCHANT, loadConfig } from '../../src/config';
import { toHttpError } from '../../src/plugins/error-mapping';
import { WxPayService } from '../../src/services/wx-pay-service';
import { WechatCertificateError } from '../../src/wechat/errors';
import { createWechatHttpClient } from '../../src/wechat/http';
import { DEFAULT_DEV_CERTIFICATES_FOLDER, ensureDevCertificates } from '../../src/simulator/dev-certificates';
import { startTestApp, type TestApp } from '../helpers/app';
import { paidOrder, refund, refundsOf, waitForRefundStatus, type RefundView } from './support';

// The merchant certificate from the settings, end to end: config → /secapi over TLS → refund.
// The simulator's CA issues them (the same folder npm start uses); one for another mch_id is
// refused by WeChat's HTML 400, which reaches the merchant as a 502 naming the certificate.

const dev = ensureDevCertificates(DEFAULT_DEV_CERTIFICATES_FOLDER, EXAMPLE_MERCHANT.mchId);
const stranger = ensureDevCertificates(DEFAULT_DEV_CERTIFICATES_FOLDER, '1999999999');

/** The dev merchant certificate as WeChat issues its p12: PBE-SHA1-RC2-40, which Node's OpenSSL refuses. */
function legacyP12(folder: string): string {
    const file = join(folder, 'apiclient_cert.p12');
    execFileSync('openssl', [
        'pkcs12', '-export', '-legacy', '-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-RC2-40',
        '-in', dev.merchant.certPath, '-inkey', dev.merchant.keyPath, '-out', file, '-passout', `pass:${EXAMPLE_MERCHANT.mchId}`,
    ]);
    return file;
}

describe('the merchant certificate', () => {
    const apps: TestApp[] = [];
    const folder = mkdtempSync(join(tmpdir(), 'refund-certificates-'));
    after(async () => {
        await Promise.all(apps.map((app) => app.stop()));
        rmSync(folder, { recursive: true, force: true });
    });

    async function refundWith(env: Record<string, string>) {
        const app = await startTestApp({ env });
        apps.push(app);
        const { token } = await app.login();
        const order = await paidOrder(app, token);
        return { app, order, response: await refund(app, order.id, { refund_fee: order.total_fee }) };
    }

    it("WeChat's legacy RC2-40 p12 (passphrase: the mch_id) refunds end to end", async () => {
        const { app, order, response } = await refundWith({ WX_PAY_CERT_P12: legacyP12(folder) });
        assert.equal(response.statusCode, 202, response.payload);
        await waitForRefundStatus(app, order.id, (response.result as RefundView).out_refund_no, 'succeeded');
    });

    it('a PEM pair refunds end to end', async () => {
        const { app, order, response } = await refundWith({ WX_PAY_CERT_PEM: dev.merchant.certPath, WX_PAY_KEY_PEM: dev.merchant.keyPath });
        assert.equal(response.statusCode, 202, response.payload);
        await waitForRefundStatus(app, order.id, (response.result as RefundView).out_refund_no, 'succeeded');
    });

    it("another merchant's certificate is refused by WeChat: 502 naming the certificate, the refund kept for a retry", async () => {
        const { app, order, response } = await refundWith({ WX_PAY_CERT_PEM: stranger.merchant.certPath, WX_PAY_KEY_PEM: stranger.merchant.keyPath });
        assert.equal(response.statusCode, 502, response.payload);
        assert.match(response.payload, /refused the merchant certificate \(WX_PAY_CERT_P12.*The SSL certificate error/);
        const [kept] = await refundsOf(app, order.id);
        assert.equal(kept!.status, 'processing');
        assert.equal(kept!.refund_id, null);
    });

    it('a certificate that does not load stops the start with one line naming the variable', async () => {
        await assert.rejects(startTestApp({ env: { WX_PAY_CERT_P12: '/nonexistent/apiclient_cert.p12' } }), { message: 'WX_PAY_CERT_P12: cannot read /nonexistent/apiclient_cert.p12 (ENOENT)' });
    });
});

describe('no merchant certificate', () => {
    let app: TestApp;
    after(() => app.stop());

    it('a /secapi call without one hears WeChat\'s HTML 400, which becomes a WechatCertificateError (502) naming the certificate', async () => {
        app = await startTestApp();
        const { token } = await app.login();
        const order = await paidOrder(app, token);
        // The simulator's plain-HTTP face, as a server with no client certificate reaches WeChat.
        const bare = new WxPayService(app.config.wechat, createWechatHttpClient(5000), { baseUrl: app.config.wechat.payBaseUrl, agent: undefined });
        const refused = await bare.refund({ outTradeNo: order.out_trade_no, outRefundNo: 'RFnocert1', totalFee: order.total_fee, refundFee: 1, reason: null, notifyUrl: app.config.refunds.notifyUrl })
            .then(() => undefined, (error: unknown) => error);
        assert.ok(refused instanceof WechatCertificateError, String(refused));
        assert.match(refused.message, /merchant certificate \(WX_PAY_CERT_P12, or WX_PAY_CERT_PEM \+ WX_PAY_KEY_PEM\): No required SSL certificate was sent/);
        assert.equal(toHttpError(refused)?.output.statusCode, 502);
    });

    it('without the simulator or a certificate setting, the refund route answers 501 naming the settings and stores nothing', async () => {
        const bare = await startTestApp({ env: { WECHAT_SIMULATOR: 'false', WX_PAY_BASE_URL: 'http://127.0.0.1:9' }, listen: false });
        try {
            assert.equal(bare.config.refunds.certificate, undefined);
            const user = await bare.server.app.models.User.create({ openId: 'oNoCertificate' });
            const order = await bare.server.app.models.Order.create({ userId: user.id, outTradeNo: 'NOCERT000001', totalFee: 100, status: 'paid', expiresAt: new Date() });
            const response = await refund(bare, order.id, { refund_fee: 100 });
            assert.equal(response.statusCode, 501);
            assert.match(response.payload, /set WX_PAY_CERT_P12 \(or WX_PAY_CERT_PEM and WX_PAY_KEY_PEM\)/);
            assert.equal(await bare.server.app.models.Refund.count(), 0);
        }
        finally {
            await bare.stop();
        }
    });

    it('a PEM certificate without its key (or a p12 beside a PEM) is refused at start, naming the variable', () => {
        assert.throws(() => loadConfig({ WX_PAY_CERT_PEM: dev.merchant.certPath }), { message: 'Invalid configuration: WX_PAY_KEY_PEM is required with WX_PAY_CERT_PEM' });
        assert.throws(() => loadConfig({ WX_PAY_CERT_P12: dev.merchant.p12Path, WX_PAY_KEY_PEM: dev.merchant.keyPath }), /WX_PAY_CERT_P12 or WX_PAY_CERT_PEM \+ WX_PAY_KEY_PEM, not both/);
    });
});

describe('a refund whose answer is lost', () => {
    let app: TestApp;
    after(() => app.stop());

    it('is asked again by the refund job with the same out_refund_no, and WeChat refunds it once', async () => {
        app = await startTestApp({ env: { WX_HTTP_TIMEOUT_MS: '1000' } });
        const { token } = await app.login();
        const order = await paidOrder(app, token);
        await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'refund', fault: 'timeout', delayMs: 2500 } });
        const response = await refund(app, order.id, { refund_fee: order.total_fee });
        assert.equal(response.statusCode, 202, response.payload);
        const lost = response.result as RefundView;
        assert.equal(lost.status, 'processing');
        assert.equal(lost.refund_id, null);
        assert.equal(lost.failure_code, 'WechatTransportError');

        const report = await app.server.services().refundJob.runOnce(new Date(Date.now() + 60 * 60_000));
        assert.equal(report.retried, 1);
        const [retried] = await refundsOf(app, order.id);
        assert.equal(retried!.out_refund_no, lost.out_refund_no);
        assert.ok(retried!.refund_id, 'accepted on the retry');
        await waitForRefundStatus(app, order.id, lost.out_refund_no, 'succeeded');
        assert.equal((await refundsOf(app, order.id)).length, 1);
    });
});
