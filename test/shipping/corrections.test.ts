import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { atWechat, correct, EXPRESS, FAST_UPLOADS, paidOrder, settledShipment, ship } from './support';

// WeChat takes a shipment once and one correction (re-upload) of it. PUT corrects; a second
// correction is refused here with 409 before WeChat would refuse it (10060003). A correction
// WeChat refuses for good leaves the shipment `failed`, with WeChat's errcode and our reason.
for (const { kind, create } of databaseKinds()) {
    describe(`correcting a shipment on ${kind}`, () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS } });
        });
        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        it('uploads one correction, then refuses another with 409', async () => {
            const order = await paidOrder(app);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const shipped = await settledShipment(app, order.id);
            const corrected = await correct(app, order.id, shipped.id, { ...EXPRESS, express_company: 'ZTO', tracking_no: '75611788998298' });
            assert.equal(corrected.statusCode, 200, corrected.payload);
            assert.equal((corrected.result as { revision: number }).revision, 2);
            const reuploaded = await settledShipment(app, order.id, 2);
            assert.equal(reuploaded.upload.state, 'uploaded');
            assert.equal(reuploaded.upload.accepted_uploads, 2);
            assert.equal(reuploaded.tracking_no, '75611788998298');
            const wechat = await atWechat(app, order.transactionId);
            assert.equal(wechat.uploads, 2);
            assert.deepEqual(wechat.last.shipping_list, [{ tracking_no: '75611788998298', express_company: 'ZTO', item_desc: EXPRESS.item_desc }]);

            const third = await correct(app, order.id, shipped.id, { ...EXPRESS, tracking_no: 'YT3' });
            assert.equal(third.statusCode, 409);
            assert.match((third.result as { message: string }).message, /already corrected once at WeChat/);
            assert.equal((await atWechat(app, order.transactionId)).uploads, 2);
        });

        it('marks a correction WeChat refuses for good as failed, with its errcode, message and reason', async () => {
            const order = await paidOrder(app);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const shipped = await settledShipment(app, order.id);
            // The shopper confirms receipt inside WeChat: WeChat takes no further shipping information.
            const confirmed = await app.inject({ method: 'POST', url: `/__wechat/simulator/shipping/${order.transactionId}/confirm-receipt` });
            assert.equal(confirmed.statusCode, 200);

            assert.equal((await correct(app, order.id, shipped.id, { logistics_type: 'pickup', item_desc: '自提 ×1' })).statusCode, 200);
            const failed = await settledShipment(app, order.id, 2);
            assert.equal(failed.upload.state, 'failed');
            assert.equal(failed.upload.errcode, 10060004);
            assert.match(failed.upload.errmsg!, /不可发货/);
            assert.match(failed.upload.reason!, /can no longer be shipped at WeChat/);
            assert.equal(failed.upload.accepted_uploads, 1);
        });

        it('refuses a correction of an order no longer shipped, and answers 404 for another order\'s shipment', async () => {
            const order = await paidOrder(app);
            const created = await ship(app, order.id);
            const shipmentId = (created.result as { id: number }).id;
            const received = await app.inject({ method: 'POST', url: `/orders/${order.id}/confirm-receipt`, headers: bearer(order.token) });
            assert.equal(received.statusCode, 200);
            assert.equal((await correct(app, order.id, shipmentId, EXPRESS)).statusCode, 409);
            assert.equal((await correct(app, order.id + 1000, shipmentId, EXPRESS)).statusCode, 404);
        });
    });
}
