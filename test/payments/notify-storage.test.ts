import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { Op } from 'sequelize';

import { parseWxXml } from '../../src/wechat/xml';
import { startTestApp, type TestApp } from '../helpers/app';
import { notify, payInWechat, placeOrder, requestPaymentFor, waitForDelivery } from '../helpers/shopper';

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

// Anyone can post to the notify URL. What that costs is bounded: an unverified delivery keeps
// a short prefix of its body, its length and its hash, and is purged after the retention
// period or beyond a cap; a verified one keeps its whole body, byte for byte.
describe('what a notification delivery costs in storage', () => {
    let app: TestApp;
    const newest = async () => (await app.server.app.models.PaymentNotification.findOne({ order: [['id', 'DESC']] }))!;

    before(async () => {
        app = await startTestApp({ env: { NOTIFY_UNVERIFIED_MAX_ROWS: '100', NOTIFY_UNVERIFIED_RETENTION_HOURS: '1', NOTIFY_PURGE_INTERVAL_MS: '0' } });
    });
    after(() => app.stop());

    it('a verified delivery keeps its whole body, byte for byte', async () => {
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        await payInWechat(app, await requestPaymentFor(app, token, order.id));
        const delivery = await waitForDelivery(app, order.out_trade_no, (candidate) => candidate.acknowledged);
        const stored = await app.server.app.models.PaymentNotification.findOne({ where: { outTradeNo: order.out_trade_no, outcome: 'paid' } });
        assert.ok(stored);
        assert.deepEqual(stored.body, Buffer.from(delivery.xml, 'utf8'));
        assert.equal(stored.bodyBytes, Buffer.byteLength(delivery.xml));
        assert.equal(stored.signatureValid, true);
        assert.deepEqual(await parseWxXml(stored.body), await parseWxXml(delivery.xml));
    });

    it('an unverified delivery keeps a 256-byte prefix, its length and its hash, exactly', async () => {
        // Invalid UTF-8 once cost three times its size (decoded to U+FFFD); bytes are kept as bytes now.
        const junk = Buffer.concat([Buffer.from('<xml><a>'), Buffer.alloc(12_000, 0xff), Buffer.from('</a></xml>')]);
        const { statusCode } = await notify(app, junk);
        assert.equal(statusCode, 400);
        const stored = await newest();
        assert.equal(stored.outcome, 'rejected');
        assert.equal(stored.signatureValid, null);
        assert.deepEqual(stored.body, junk.subarray(0, 256));
        assert.equal(stored.bodyBytes, junk.length);
        assert.equal(stored.bodySha256, sha256(junk));
    });

    it('a body over NOTIFY_MAX_BYTES (16 KB by default) is refused with 413 unread and unrecorded', async () => {
        const before = await app.server.app.models.PaymentNotification.count();
        const response = await app.inject({ method: 'POST', url: '/orders/pay/notify', headers: { 'content-type': 'text/xml' }, payload: `<xml><a>${'x'.repeat(16 * 1024)}</a></xml>` });
        assert.equal(response.statusCode, 413);
        assert.equal(await app.server.app.models.PaymentNotification.count(), before);
    });

    it('a body nested 2,000 deep is refused before the XML parser sees it', async () => {
        const { statusCode, answer } = await notify(app, `<xml>${'<a>'.repeat(2000)}${'</a>'.repeat(2000)}</xml>`);
        assert.equal(statusCode, 400);
        assert.match(answer.return_msg!, /fields must not nest/);
    });

    it('the purge removes unverified deliveries past the retention period and beyond the cap, and keeps verified ones', async () => {
        const { PaymentNotification } = app.server.app.models;
        const unverified = { where: { signatureValid: { [Op.not]: true } } };
        for (let index = 0; index < 150; index += 1) {
            await notify(app, `<xml><junk>${index}</junk></xml>`);
        }
        const verifiedBefore = await PaymentNotification.count({ where: { signatureValid: true } });
        const report = await app.server.services().notificationRetention.runOnce();
        assert.ok(report.overCap >= 50, JSON.stringify(report));
        assert.equal(await PaymentNotification.count(unverified), 100);
        assert.equal(await PaymentNotification.count({ where: { signatureValid: true } }), verifiedBefore);

        const later = await app.server.services().notificationRetention.runOnce(new Date(Date.now() + 2 * 3_600_000));
        assert.equal(later.expired, 100);
        assert.equal(await PaymentNotification.count(unverified), 0);
        assert.equal(await PaymentNotification.count({ where: { signatureValid: true } }), verifiedBefore);
    });

    it('the refund notify URL is held to the same bounds: undecryptable deliveries keep a prefix and are purged beyond the cap', async () => {
        const { RefundNotification } = app.server.app.models;
        const junk = (index: number) => `<xml><return_code>SUCCESS</return_code><req_info>${'A'.repeat(4000)}${index}</req_info></xml>`;
        for (let index = 0; index < 120; index += 1) {
            const response = await app.inject({ method: 'POST', url: '/orders/refund/notify', headers: { 'content-type': 'text/xml' }, payload: junk(index) });
            assert.equal(response.statusCode, 400, response.payload);
        }
        const newest = (await RefundNotification.findOne({ order: [['id', 'DESC']] }))!;
        assert.equal(newest.decrypted, false);
        assert.equal(newest.body.length, 256);
        await app.server.services().notificationRetention.runOnce();
        assert.equal(await RefundNotification.count({ where: { decrypted: false } }), 100);
    });
});
