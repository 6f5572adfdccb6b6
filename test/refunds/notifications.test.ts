import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { EXAMPLE_MERCHANT } from '../../src/config';
import { encryptRefundInfo } from '../../src/wechat/refund-crypto';
import { buildWxXml } from '../../src/wechat/xml';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { eventually } from '../helpers/wait';
import { paidOrder, refund, refundsOf, settle, waitForRefundStatus, type RefundView } from './support';

// POST /orders/refund/notify: unsigned, trusted only when req_info decrypts with our key and
// names our merchant, order and amounts; every delivery recorded; duplicates applied once.
// Real time in the simulator, so refunds settle only when a test settles them.

function refundNotice(fields: Record<string, string>, { apiKey = EXAMPLE_MERCHANT.apiKey, mchId = EXAMPLE_MERCHANT.mchId } = {}): string {
    return buildWxXml({ return_code: 'SUCCESS', appid: EXAMPLE_MERCHANT.appId, mch_id: mchId, nonce_str: 'n0nce', req_info: encryptRefundInfo(fields, apiKey) });
}

for (const { kind, create } of databaseKinds()) {
    describe(`refund notifications on ${kind}`, () => {
        let app: TestApp;
        let token: string;

        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...NO_ORDER_LIMITS, SIMULATOR_TIME_SCALE: '1' } });
            ({ token } = await app.login());
        });
        after(() => app.stop().then(() => app.database.drop()));

        const post = (body: string) => app.inject({ method: 'POST', url: '/orders/refund/notify', headers: { 'content-type': 'text/xml' }, payload: body });
        const deliveries = () => app.server.app.models.RefundNotification.findAll({ order: [['id', 'ASC']] });

        async function processingRefund() {
            const order = await paidOrder(app, token);
            const created = (await refund(app, order.id, { refund_fee: order.total_fee })).result as RefundView;
            const fields = {
                out_trade_no: order.out_trade_no, total_fee: String(order.total_fee), out_refund_no: created.out_refund_no, refund_id: created.refund_id!,
                refund_fee: String(order.total_fee), refund_status: 'SUCCESS', success_time: '2026-12-01 10:05:00', refund_request_source: 'API',
            };
            return { order, created, fields };
        }

        it('20 concurrent duplicates of one SUCCESS are applied once, each answered SUCCESS and recorded', async () => {
            const { order, created, fields } = await processingRefund();
            const before = (await deliveries()).length;
            const answers = await Promise.all(Array.from({ length: 20 }, () => post(refundNotice(fields))));
            assert.deepEqual(new Set(answers.map((answer) => answer.statusCode)), new Set([200]));
            assert.ok(answers.every((answer) => answer.payload.includes('<return_code><![CDATA[SUCCESS]]></return_code>')), answers[0]!.payload);
            const recorded = (await deliveries()).slice(before);
            assert.equal(recorded.length, 20);
            assert.deepEqual(recorded.map((row) => row.outcome).sort(), ['applied', ...Array(19).fill('duplicate')]);
            const [stored] = await refundsOf(app, order.id);
            assert.equal(stored!.status, 'succeeded');
            assert.equal(stored!.out_refund_no, created.out_refund_no);
            assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'refunded');
        });

        it('forged, undecryptable and foreign-merchant notifications are refused, change nothing, and are recorded', async () => {
            const { order, fields } = await processingRefund();
            const before = (await deliveries()).length;
            const forged = await post(refundNotice(fields, { apiKey: 'ffffffffffffffffffffffffffffffff' }));
            const garbage = await post(buildWxXml({ return_code: 'SUCCESS', appid: EXAMPLE_MERCHANT.appId, mch_id: EXAMPLE_MERCHANT.mchId, req_info: 'bm90IGVuY3J5cHRlZA==' }));
            const foreign = await post(refundNotice(fields, { mchId: '1999999999' }));
            const inflated = await post(refundNotice({ ...fields, refund_fee: String(order.total_fee + 1) }));
            for (const answer of [forged, garbage, foreign, inflated]) {
                assert.equal(answer.statusCode, 400, answer.payload);
                assert.match(answer.payload, /FAIL/);
            }
            const recorded = (await deliveries()).slice(before);
            assert.deepEqual(recorded.map((row) => [row.outcome, row.decrypted]), [['rejected', false], ['rejected', false], ['rejected', true], ['rejected', true]]);
            assert.ok(recorded.every((row) => row.body.length <= 256), 'only a prefix of what was not accepted');
            assert.equal((await refundsOf(app, order.id))[0]!.status, 'processing');
            assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'paid');
        });

        it('a refund made by hand in the merchant platform is recorded as a refund of the order', async () => {
            const order = await paidOrder(app, token);
            const platform = await app.inject({ method: 'POST', url: '/__wechat/simulator/refunds', payload: { out_trade_no: order.out_trade_no, refund_fee: 50 } });
            assert.equal(platform.statusCode, 201, platform.payload);
            const { out_refund_no } = platform.result as { out_refund_no: string };
            await settle(app, out_refund_no);
            const recorded = await waitForRefundStatus(app, order.id, out_refund_no, 'succeeded');
            assert.equal(recorded.source, "merchant_platform");
            assert.equal(recorded.refund_fee, 50);
        });

        it('a refund we never made that is more than the order can give back is recorded, disputed, applied to nothing, and raised', async () => {
            const order = await paidOrder(app, token);
            const foreign = {
                out_trade_no: order.out_trade_no, total_fee: String(order.total_fee), out_refund_no: `VP${Date.now()}`, refund_id: `50000${Date.now()}`,
                refund_fee: '11199', refund_status: 'SUCCESS', success_time: '2026-12-01 10:05:00', refund_request_source: 'VENDOR_PLATFORM',
            };
            const alertsBefore = app.logs.filter((line) => line.includes('"alert.refund_exceeds_order"')).length;
            for (let delivery = 0; delivery < 2; delivery += 1) {
                const answer = await post(refundNotice(foreign));
                assert.equal(answer.statusCode, 200, answer.payload);
                assert.match(answer.payload, /SUCCESS/, 'acknowledged: WeChat has nothing to add by delivering it again');
            }

            const [recorded] = await refundsOf(app, order.id);
            assert.equal(recorded!.status, 'disputed');
            assert.equal(recorded!.refund_fee, 11199);
            assert.equal(recorded!.failure_code, 'EXCEEDS_ORDER');
            assert.match(recorded!.failure_message!, new RegExp(`11199 fen.*${order.total_fee} fen`));
            const shopper = await app.inject({ method: 'GET', url: `/orders/${order.id}`, headers: { authorization: `Bearer ${token}` } });
            const view = shopper.result as { status: string; refunded_fee: number; refunds: unknown[] };
            assert.deepEqual({ status: view.status, refunded_fee: view.refunded_fee, refunds: view.refunds }, { status: 'paid', refunded_fee: 0, refunds: [] });

            const alerts = app.logs.filter((line) => line.includes('"alert.refund_exceeds_order"')).slice(alertsBefore).map((line) => JSON.parse(line) as Record<string, unknown>);
            assert.equal(alerts.length, 1, 'raised once, not at each delivery');
            assert.equal(alerts[0]!.level, 50);
            assert.deepEqual([alerts[0]!.outRefundNo, alerts[0]!.refundFee, alerts[0]!.orderTotalFee, alerts[0]!.alreadyRefunded], [foreign.out_refund_no, 11199, order.total_fee, 0]);
            const deliveries = await app.server.app.models.RefundNotification.findAll({ where: { outRefundNo: foreign.out_refund_no }, order: [['id', 'ASC']] });
            assert.deepEqual(deliveries.map((row) => row.outcome), ['applied', 'duplicate']);
        });

        it('a refund we never made is judged against what is already refunded too', async () => {
            const order = await paidOrder(app, token);
            const ours = (await refund(app, order.id, { refund_fee: order.total_fee - 100 })).result as RefundView;
            await settle(app, ours.out_refund_no);
            await waitForRefundStatus(app, order.id, ours.out_refund_no, 'succeeded');
            const foreign = {
                out_trade_no: order.out_trade_no, total_fee: String(order.total_fee), refund_status: 'SUCCESS', success_time: '2026-12-01 10:05:00', refund_request_source: 'VENDOR_PLATFORM',
            };
            const fits = await post(refundNotice({ ...foreign, out_refund_no: `VPA${Date.now()}`, refund_id: `50001${Date.now()}`, refund_fee: '100' }));
            const over = await post(refundNotice({ ...foreign, out_refund_no: `VPB${Date.now()}`, refund_id: `50002${Date.now()}`, refund_fee: '1' }));
            assert.ok([fits, over].every((answer) => answer.statusCode === 200));
            assert.deepEqual((await refundsOf(app, order.id)).map((one) => [one.refund_fee, one.status]), [[order.total_fee - 100, 'succeeded'], [100, 'succeeded'], [1, 'disputed']]);
            assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'refunded', 'the refund that fits completes the order');
        });

        it('REFUNDCLOSE marks the refund failed, and the money counts as refundable again', async () => {
            const { order, created } = await processingRefund();
            await settle(app, created.out_refund_no, 'REFUNDCLOSE');
            const failed = await waitForRefundStatus(app, order.id, created.out_refund_no, 'failed');
            assert.equal(failed.failure_code, 'REFUNDCLOSE');
            assert.equal((await refund(app, order.id, { refund_fee: order.total_fee })).statusCode, 202);
        });
    });
}

describe('a refund notification that never arrives', () => {
    let app: TestApp;
    before(async () => {
        // WeChat's notifications for these refunds go nowhere: only refundquery can tell.
        app = await startTestApp({ env: { SIMULATOR_TIME_SCALE: '1', WX_PAY_REFUND_NOTIFY_URL: 'http://127.0.0.1:9/orders/refund/notify', REFUND_QUERY_THROTTLE_MS: '0' } });
    });
    after(() => app.stop());

    it('is healed by refundquery when the refund is read', async () => {
        const { token } = await app.login();
        const order = await paidOrder(app, token);
        const created = (await refund(app, order.id, { refund_fee: order.total_fee })).result as RefundView;
        await settle(app, created.out_refund_no);
        await eventually('healed', async () => ((await refundsOf(app, order.id))[0]!.status === 'succeeded' ? true : undefined));
        assert.equal((await app.server.app.models.Order.findByPk(order.id))!.status, 'refunded');
    });
});
