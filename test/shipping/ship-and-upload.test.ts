import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { getOrder, placeOrder } from '../helpers/shopper';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { ADMIN, atWechat, EXPRESS, FAST_UPLOADS, paidOrder, settledShipment, ship } from './support';

// The merchant ships a paid order: the order reads shipped at once, and the shipment reaches
// WeChat's order-shipping service (the simulator) in the background, naming the payment and payer.
for (const { kind, create } of databaseKinds()) {
    describe(`shipping an order on ${kind}`, () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS } });
        });
        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        it('stores the shipment, shows the order shipped, and uploads it to WeChat by transaction_id and payer openid', async () => {
            const order = await paidOrder(app);
            const response = await ship(app, order.id);
            assert.equal(response.statusCode, 201, response.payload);
            const created = response.result as { id: number; order_id: number; revision: number; upload: { state: string } };
            assert.equal(created.order_id, order.id);
            assert.equal(created.revision, 1);

            const shown = await getOrder(app, order.token, order.id) as unknown as { status: string; shipment: Record<string, unknown> };
            assert.equal(shown.status, 'shipped');
            const { shipped_at: shippedAt, ...shipped } = shown.shipment;
            assert.deepEqual(shipped, { logistics_type: 'express', express_company: 'YTO', tracking_no: 'YT8759710021515', item_desc: '商品1-1 ×2' });
            assert.ok(shippedAt);
            const listed = await app.inject({ method: 'GET', url: '/orders', headers: bearer(order.token) });
            const { refunded_fee: _refunded, refunds: _refunds, refund_requests: _requests, ...summary } = shown as unknown as Record<string, unknown>;
            assert.deepEqual((listed.result as { results: Array<{ id: number }> }).results.find((entry) => entry.id === order.id), summary, 'the order list shows the order as GET /orders/{id} does');
            const merchantView = await app.inject({ method: 'GET', url: `/admin/orders/${order.id}`, headers: ADMIN });
            assert.equal((merchantView.result as { status: string }).status, 'shipped');
            assert.deepEqual((merchantView.result as { shipment: unknown }).shipment, shown.shipment);

            const uploaded = await settledShipment(app, order.id);
            assert.equal(uploaded.upload.state, 'uploaded');
            assert.equal(uploaded.upload.accepted_uploads, 1);
            assert.equal(uploaded.upload.errcode, null);

            const user = await app.server.app.models.User.findOne({ where: { id: (await app.server.app.models.Order.findByPk(order.id))!.userId } });
            const wechat = await atWechat(app, order.transactionId);
            assert.equal(wechat.uploads, 1);
            assert.deepEqual(wechat.last.order_key, { order_number_type: 2, transaction_id: order.transactionId });
            assert.equal(wechat.last.logistics_type, 1);
            assert.deepEqual(wechat.last.shipping_list, [{ tracking_no: 'YT8759710021515', express_company: 'YTO', item_desc: '商品1-1 ×2' }]);
            assert.equal(wechat.last.payer.openid, user!.openId);
            assert.match(wechat.last.upload_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
        });

        it('uploads a virtual shipment without company or tracking number', async () => {
            const order = await paidOrder(app);
            const response = await ship(app, order.id, { logistics_type: 'virtual', item_desc: '会员卡 ×1' });
            assert.equal(response.statusCode, 201, response.payload);
            assert.equal((await settledShipment(app, order.id)).upload.state, 'uploaded');
            const wechat = await atWechat(app, order.transactionId);
            assert.equal(wechat.last.logistics_type, 3);
            assert.deepEqual(wechat.last.shipping_list, [{ item_desc: '会员卡 ×1' }]);
        });

        it('refuses express without a tracking number or company with a 400 naming the field, and ships nothing', async () => {
            const order = await paidOrder(app);
            for (const [missing, message] of [['tracking_no', /"tracking_no" is required/], ['express_company', /"express_company" is required/]] as const) {
                const { [missing]: _left, ...payload } = EXPRESS;
                const response = await ship(app, order.id, payload);
                assert.equal(response.statusCode, 400, response.payload);
                assert.match((response.result as { message: string }).message, message);
            }
            const tooLong = await ship(app, order.id, { ...EXPRESS, item_desc: '货'.repeat(121) });
            assert.equal(tooLong.statusCode, 400);
            assert.match((tooLong.result as { message: string }).message, /"item_desc"/);
            assert.equal((await getOrder(app, order.token, order.id)).status, 'paid');
        });

        it('answers 409 for an order that is not paid or already shipped, 404 for none', async () => {
            const { token } = await app.login();
            const unpaid = await placeOrder(app, token);
            assert.equal((await ship(app, unpaid.id)).statusCode, 409);
            const order = await paidOrder(app);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const again = await ship(app, order.id);
            assert.equal(again.statusCode, 409);
            assert.match((again.result as { message: string }).message, /is shipped.*PUT/);
            assert.equal((await ship(app, 999_999)).statusCode, 404);
            assert.equal((await app.inject({ method: 'POST', url: `/admin/orders/${order.id}/shipments`, headers: bearer(order.token), payload: EXPRESS })).statusCode, 401);
        });

        it('never logs the access token', async () => {
            const row = await app.server.app.models.WechatAccessToken.findByPk(app.config.wechat.appId);
            assert.ok(row?.accessToken);
            assert.ok(app.logs.length > 0);
            assert.ok(!app.logs.some((line) => line.includes(row.accessToken!)));
        });
    });
}
