import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import type { NotificationView } from '../../src/simulator/notifier';
import { eventually } from '../helpers/wait';
import { ACK, merchant, NACK, notifications, startNotifyReceiver } from './harness';
import { newOutRefundNo, paidOrder, readRefundNotification, signedPost, startTlsSimulator, type TlsSimulator } from './tls-harness';

// When a refund settles, WeChat posts the refund notification to the refund's notify_url
// (or the merchant platform's), with the payment notification's retries and duplicates:
// unsigned, everything it says inside req_info, encrypted under the API key. A refund made
// by hand in the merchant platform is notified too, as refund_request_source VENDOR_PLATFORM.

describe('refund notifications', () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
        for (const cleanup of cleanups.reverse()) {
            await cleanup();
        }
    });

    const setUp = async (answer: (count: number) => { status: number; body: string }, options: { notifyDuplicates?: number; withPlatformUrl?: boolean; timeScale?: number } = {}) => {
        const receiver = await startNotifyReceiver(answer);
        // timeScale 0.005: a refund settles after 300 ms, retries come 75 ms apart.
        const simulator: TlsSimulator = await startTlsSimulator({
            timeScale: options.timeScale ?? 0.005,
            notifyDuplicates: options.notifyDuplicates ?? 1,
            refundNotifyUrl: options.withPlatformUrl ? receiver.url : undefined,
        });
        cleanups.push(receiver.close, () => simulator.stop());
        return { simulator, receiver };
    };
    const refundNotificationsOf = async (simulator: TlsSimulator, outTradeNo: string) =>
        (await notifications(simulator, outTradeNo)).filter((notification) => notification.out_refund_no !== undefined);
    const acknowledged = (simulator: TlsSimulator, outTradeNo: string) => eventually('the refund notification acknowledged', async () => {
        const [notification] = await refundNotificationsOf(simulator, outTradeNo);
        return notification?.acknowledged ? notification : undefined;
    }, 15_000);

    it('posts the settled refund to notify_url, unsigned, its req_info decrypting to the refund', async () => {
        const { simulator, receiver } = await setUp(() => ({ status: 200, body: ACK }));
        const order = await paidOrder(simulator, 2500);
        const outRefundNo = newOutRefundNo();
        const accepted = await signedPost(simulator.merchantHttps, '/secapi/pay/refund', {
            out_trade_no: order.outTradeNo, out_refund_no: outRefundNo, total_fee: '2500', refund_fee: '900', notify_url: receiver.url,
        });
        const notification: NotificationView = await acknowledged(simulator, order.outTradeNo);
        assert.equal(notification.out_refund_no, outRefundNo);

        const delivered = receiver.received.filter((entry) => entry.body.includes('req_info'));
        assert.equal(delivered.length, 1);
        const { outer, info } = await readRefundNotification(delivered[0]?.body as string);
        assert.deepEqual(Object.keys(outer).sort(), ['appid', 'mch_id', 'nonce_str', 'req_info', 'return_code']);
        assert.equal(outer.appid, merchant.appId);
        assert.equal(outer.mch_id, merchant.mchId);
        assert.equal(outer.return_code, 'SUCCESS');
        assert.deepEqual({ ...info, success_time: undefined }, {
            transaction_id: order.transactionId,
            out_trade_no: order.outTradeNo,
            refund_id: accepted.refund_id,
            out_refund_no: outRefundNo,
            total_fee: '2500',
            settlement_total_fee: '2500',
            refund_fee: '900',
            settlement_refund_fee: '900',
            refund_status: 'SUCCESS',
            refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS',
            refund_recv_accout: '支付用户零钱',
            refund_request_source: 'API',
            success_time: undefined,
        });
        assert.match(info.success_time as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });

    it('retries on WeChat\'s schedule until acknowledged, and sends duplicates at first', async () => {
        const { simulator, receiver } = await setUp((count) => (count <= 3 ? { status: 200, body: NACK } : { status: 200, body: ACK }), { notifyDuplicates: 2 });
        const order = await paidOrder(simulator, 1000, { notify_url: 'http://127.0.0.1:9/payments' });
        await signedPost(simulator.merchantHttps, '/secapi/pay/refund', {
            out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: '1000', refund_fee: '1000', notify_url: receiver.url,
        });
        const notification = await acknowledged(simulator, order.outTradeNo);
        assert.deepEqual(notification.attempts.map(({ attempt, sender, outcome }) => ({ attempt, sender, outcome })).sort((a, b) => a.attempt - b.attempt || a.sender - b.sender), [
            { attempt: 1, sender: 1, outcome: 'failed' },
            { attempt: 1, sender: 2, outcome: 'failed' },
            { attempt: 2, sender: 1, outcome: 'failed' },
            { attempt: 3, sender: 1, outcome: 'acknowledged' },
        ]);
        // Every delivery is the same body: a receiver must apply it once.
        assert.equal(new Set(receiver.received.map((entry) => entry.body)).size, 1);
    });

    it('notifies the merchant platform\'s refund URL when the refund call named none', async () => {
        const { simulator, receiver } = await setUp(() => ({ status: 200, body: ACK }), { withPlatformUrl: true });
        const order = await paidOrder(simulator, 1000);
        await signedPost(simulator.merchantHttps, '/secapi/pay/refund', { out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: '1000', refund_fee: '10' });
        assert.equal((await acknowledged(simulator, order.outTradeNo)).notify_url, receiver.url);
    });

    it('notifies a refund made by hand in the merchant platform as VENDOR_PLATFORM, numbered by WeChat', async () => {
        const { simulator, receiver } = await setUp(() => ({ status: 200, body: ACK }), { withPlatformUrl: true });
        const order = await paidOrder(simulator, 1500);
        const made = await simulator.http.post('/simulator/refunds', { out_trade_no: order.outTradeNo, refund_fee: 500 });
        assert.equal(made.status, 201);
        assert.equal(made.data.refund_status, 'PROCESSING');
        assert.equal(made.data.out_refund_no, made.data.refund_id);

        await acknowledged(simulator, order.outTradeNo);
        const { info } = await readRefundNotification(receiver.received.at(-1)?.body as string);
        assert.equal(info.refund_request_source, 'VENDOR_PLATFORM');
        assert.equal(info.out_refund_no, made.data.refund_id);
        assert.equal(info.refund_fee, '500');
        assert.equal(info.refund_status, 'SUCCESS');

        // It counts against what is left, as any refund does.
        const over = await simulator.http.post('/simulator/refunds', { transaction_id: order.transactionId, refund_fee: 1001 });
        assert.equal(over.status, 409);
        assert.match(over.data.message, /累计退款金额大于支付金额/);
        const query = await signedPost(simulator.merchantHttps, '/pay/refundquery', { out_trade_no: order.outTradeNo });
        assert.equal(query.refund_count, '1');
    });

    it('settles a refund by hand as REFUNDCLOSE: notified so, and its amount refundable again', async () => {
        // timeScale 0.1: the refund would succeed on its own only after 6 s.
        const { simulator, receiver } = await setUp(() => ({ status: 200, body: ACK }), { withPlatformUrl: true, timeScale: 0.1 });
        const order = await paidOrder(simulator, 1000);
        const outRefundNo = newOutRefundNo();
        await signedPost(simulator.merchantHttps, '/secapi/pay/refund', { out_trade_no: order.outTradeNo, out_refund_no: outRefundNo, total_fee: '1000', refund_fee: '1000' });

        const settled = await simulator.http.post(`/simulator/refunds/${outRefundNo}/settle`, { refund_status: 'REFUNDCLOSE' });
        assert.equal(settled.status, 200);
        assert.equal(settled.data.refund_status, 'REFUNDCLOSE');
        await acknowledged(simulator, order.outTradeNo);
        const { info } = await readRefundNotification(receiver.received.at(-1)?.body as string);
        assert.equal(info.refund_status, 'REFUNDCLOSE');
        assert.equal(info.success_time, undefined);

        assert.equal((await simulator.http.post(`/simulator/refunds/${outRefundNo}/settle`, { refund_status: 'SUCCESS' })).status, 409);
        assert.equal((await simulator.http.post('/simulator/refunds/NeverRefunded/settle', { refund_status: 'SUCCESS' })).status, 404);
        const bad = await simulator.http.post(`/simulator/refunds/${outRefundNo}/settle`, { refund_status: 'PROCESSING' });
        assert.equal(bad.status, 400);
        assert.match(bad.data.message, /refund_status/);
        // A closed refund gave nothing back: the whole amount can be refunded again.
        const again = await signedPost(simulator.merchantHttps, '/secapi/pay/refund', { out_trade_no: order.outTradeNo, out_refund_no: newOutRefundNo(), total_fee: '1000', refund_fee: '1000' });
        assert.equal(again.result_code, 'SUCCESS');
    });

    it('refuses a platform refund of an unknown order (404) or without an amount (400 naming it)', async () => {
        const { simulator } = await setUp(() => ({ status: 200, body: ACK }));
        assert.equal((await simulator.http.post('/simulator/refunds', { out_trade_no: 'NeverPlaced1', refund_fee: 1 })).status, 404);
        const bad = await simulator.http.post('/simulator/refunds', { out_trade_no: 'NeverPlaced1' });
        assert.equal(bad.status, 400);
        assert.match(bad.data.message, /refund_fee/);
    });
});
