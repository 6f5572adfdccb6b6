import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { paidOrder } from './support';

// The simulator's upload_shipping_info checks what WeChat checks, in WeChat's errcodes: the
// token, the payment, its state, the logistics type, the fields, the payer and the re-upload.
describe("the simulator's upload_shipping_info", () => {
    let app: TestApp;
    let token: string;
    let transactionId: string;
    let openid: string;
    before(async () => {
        // No background uploads: this test is the only caller.
        app = await startTestApp({ env: { SHIPPING_UPLOAD_INTERVAL_MS: '0' } });
        const { appId, appSecret } = app.config.wechat;
        const issued = await app.inject({ method: 'POST', url: '/__wechat/cgi-bin/stable_token', payload: { grant_type: 'client_credential', appid: appId, secret: appSecret } });
        token = (issued.result as { access_token: string }).access_token;
        const order = await paidOrder(app);
        transactionId = order.transactionId;
        const row = await app.server.app.models.Order.findByPk(order.id, { include: [{ model: app.server.app.models.User, as: 'user' }] });
        openid = row!.user!.openId;
    });
    after(() => app.stop());

    const body = (changes: Record<string, unknown> = {}) => ({
        order_key: { order_number_type: 2, transaction_id: transactionId },
        logistics_type: 1,
        delivery_mode: 1,
        shipping_list: [{ tracking_no: 'YT1', express_company: 'YTO', item_desc: '商品1-1 ×2' }],
        upload_time: '2026-12-01T10:00:00+08:00',
        payer: { openid },
        ...changes,
    });
    const upload = async (payload: object, accessToken = token) => (await app.inject({
        method: 'POST', url: `/__wechat/wxa/sec/order/upload_shipping_info?access_token=${encodeURIComponent(accessToken)}`, payload,
    })).result as { errcode: number; errmsg: string };

    it('refuses a bad token, an unknown payment, a bad logistics type, missing fields and another payer', async () => {
        assert.equal((await upload(body(), 'not-a-token')).errcode, 40001);
        assert.equal((await upload(body({ order_key: { order_number_type: 2, transaction_id: '4200000000000000000000000000' } }))).errcode, 10060001);
        assert.equal((await upload(body({ logistics_type: 9 }))).errcode, 10060005);
        assert.equal((await upload(body({ shipping_list: [{ tracking_no: 'YT1', express_company: 'YTO', item_desc: '' }] }))).errcode, 10060008);
        assert.equal((await upload(body({ shipping_list: [{ item_desc: '商品' }] }))).errcode, 10060014, 'express without a tracking number');
        assert.equal((await upload(body({ payer: { openid: 'o-someone-else' } }))).errcode, 10060014);
    });

    it('accepts an upload and one re-upload, then answers 10060003; after receipt, 10060004', async () => {
        assert.deepEqual(await upload(body()), { errcode: 0, errmsg: 'ok' });
        assert.deepEqual(await upload(body({ shipping_list: [{ tracking_no: 'YT2', express_company: 'YTO', item_desc: '商品1-1 ×2' }] })), { errcode: 0, errmsg: 'ok' });
        assert.equal((await upload(body())).errcode, 10060003);
        await app.inject({ method: 'POST', url: `/__wechat/simulator/shipping/${transactionId}/confirm-receipt` });
        assert.equal((await upload(body())).errcode, 10060004);
    });

    it('answers 42001 for a token whose time is up', async () => {
        await app.inject({ method: 'POST', url: '/__wechat/simulator/access-tokens/expire' });
        assert.equal((await upload(body())).errcode, 42001);
    });
});
