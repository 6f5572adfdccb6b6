import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { eventually } from '../helpers/wait';
import { atWechat, FAST_UPLOADS, injectFault, paidOrder, settledShipment, ship, shipments } from './support';

// An upload WeChat did not accept is retried in the background until it does: busy replies,
// HTTP errors, garbage and timeouts alike. The shipment stays `pending` meanwhile, with the
// last failure visible to the merchant.
for (const { kind, create } of databaseKinds()) {
    describe(`retrying a shipment's upload on ${kind}`, () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS, WX_HTTP_TIMEOUT_MS: '500', ROUTE_TIMEOUT_MS: '5000' } });
        });
        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        it('keeps a shipment pending with WeChat\'s errcode while WeChat is busy, then uploads it once', async () => {
            const order = await paidOrder(app);
            await injectFault(app, 'upload_shipping_info', 'systemerror', 1);
            await injectFault(app, 'upload_shipping_info', 'http500', 1);
            await injectFault(app, 'upload_shipping_info', 'garbled', 1);
            assert.equal((await ship(app, order.id)).statusCode, 201);

            const [pending] = await shipments(app, order.id);
            assert.equal(pending!.upload.state, 'pending');

            const uploaded = await settledShipment(app, order.id);
            assert.equal(uploaded.upload.state, 'uploaded');
            assert.equal(uploaded.upload.accepted_uploads, 1);
            assert.equal(uploaded.upload.errcode, null, 'the last failure is cleared once WeChat accepts');
            assert.equal((await atWechat(app, order.transactionId)).uploads, 1);
        });

        it('retries an upload WeChat did not answer in time', async () => {
            const order = await paidOrder(app);
            const response = await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'upload_shipping_info', fault: 'timeout', count: 1, delayMs: 1500 } });
            assert.equal(response.statusCode, 201);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const uploaded = await settledShipment(app, order.id);
            assert.equal(uploaded.upload.state, 'uploaded');
        });
    });
}

describe('a failed upload waiting for its next attempt', () => {
    let app: TestApp;
    before(async () => {
        // Retries a minute apart: the failure can be read before the next attempt, which the test's clock brings.
        app = await startTestApp({ env: { SHIPPING_UPLOAD_INTERVAL_MS: '0', SHIPPING_UPLOAD_RETRY_MS: '60000' } });
    });
    after(() => app.stop());

    it("shows WeChat's errcode, message and our reason, and is tried again once it is due", async () => {
        const order = await paidOrder(app);
        await injectFault(app, 'upload_shipping_info', 'systemerror', 1);
        assert.equal((await ship(app, order.id)).statusCode, 201);
        const failing = await eventually('the first attempt', async () => {
            const [shipment] = await shipments(app, order.id);
            return shipment?.upload.errcode === null ? undefined : shipment;
        });
        assert.equal(failing.upload.state, 'pending');
        assert.equal(failing.upload.attempts, 1);
        assert.equal(failing.upload.errcode, -1);
        assert.equal(failing.upload.errmsg, 'system error');
        assert.match(failing.upload.reason!, /busy; the upload is retried/);

        const uploader = app.server.services().shipmentUploader;
        assert.deepEqual(await uploader.runOnce(new Date(Date.now() + 30_000)), { examined: 0, uploaded: 0, retrying: 0, failed: 0 }, 'not due yet');
        assert.deepEqual(await uploader.runOnce(new Date(Date.now() + 61_000)), { examined: 1, uploaded: 1, retrying: 0, failed: 0 });
        const [uploaded] = await shipments(app, order.id);
        assert.equal(uploaded!.upload.state, 'uploaded');
        assert.equal((await atWechat(app, order.transactionId)).uploads, 1);
    });
});
