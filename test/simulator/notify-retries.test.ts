import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { RETRY_DELAYS_SECONDS } from '../../src/simulator/notifier';
import { ACK, NACK, notifications, pay, placeOrder, startNotifyReceiver, startSimulator, type RunningSimulator } from './harness';
import { eventually } from '../helpers/wait';

// Until the app acknowledges (2xx and return_code SUCCESS), WeChat retries on its schedule:
// 15s, 15s, 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m, 3h, 3h, 3h, 6h, 6h; then gives up.

describe('notification retries', () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
        for (const cleanup of cleanups) {
            await cleanup();
        }
    });

    const setUp = async (timeScale: number, answer: (count: number) => { status: number; body: string }) => {
        const simulator: RunningSimulator = await startSimulator({ timeScale });
        const receiver = await startNotifyReceiver(answer);
        cleanups.push(() => simulator.server.stop(), receiver.close);
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url });
        await pay(simulator, prepayId);
        return { simulator, receiver, outTradeNo };
    };

    it('retries a failing endpoint after 15 and 15 (scaled) seconds until it acknowledges', async () => {
        // timeScale 0.01: 15 simulated seconds are 150 ms.
        const { simulator, receiver, outTradeNo } = await setUp(0.01, (count) =>
            count === 1 ? { status: 500, body: 'oops' } : count === 2 ? { status: 200, body: NACK } : { status: 200, body: ACK });

        const [notification] = await eventually('the notification acknowledged', async () => {
            const list = await notifications(simulator, outTradeNo);
            return list[0]?.acknowledged ? list : undefined;
        });
        assert.ok(notification);
        assert.deepEqual(notification.attempts.map(({ attempt, outcome, httpStatus }) => ({ attempt, outcome, httpStatus })), [
            { attempt: 1, outcome: 'failed', httpStatus: 500 },
            { attempt: 2, outcome: 'failed', httpStatus: 200 },
            { attempt: 3, outcome: 'acknowledged', httpStatus: 200 },
        ]);
        assert.equal(notification.attempts[0]?.reason, 'HTTP 500');
        assert.match(notification.attempts[1]?.reason ?? '', /return_code is FAIL/);

        const gaps = receiver.received.slice(1).map((delivery, index) => delivery.at - (receiver.received[index]?.at ?? 0));
        for (const gap of gaps) {
            assert.ok(gap >= 145 && gap < 1000, `gap ${gap} ms should be about 150 ms`);
        }

        // Acknowledged: nothing more arrives, even after the next retry would have been due.
        await new Promise((resolve) => setTimeout(resolve, 400));
        assert.equal(receiver.received.length, 3);
    });

    it('counts an unreachable endpoint as a failed attempt and gives up after the 15th retry', async () => {
        // timeScale 0.00002: the whole schedule (86 640 s) takes about 1.7 s.
        const { simulator, outTradeNo } = await setUp(0.00002, () => ({ status: 503, body: '' }));
        const [notification] = await eventually('the notification given up', async () => {
            const list = await notifications(simulator, outTradeNo);
            return list[0]?.gaveUp ? list : undefined;
        }, 8000);
        assert.ok(notification);
        assert.equal(notification.acknowledged, false);
        assert.equal(notification.attempts.length, RETRY_DELAYS_SECONDS.length + 1);
        assert.deepEqual(notification.attempts.map(({ attempt }) => attempt), Array.from({ length: 16 }, (_, index) => index + 1));
    });

    it('records why a delivery failed when nothing listens', async () => {
        const simulator = await startSimulator();
        cleanups.push(() => simulator.server.stop());
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: 'http://127.0.0.1:9/notify' });
        await pay(simulator, prepayId);
        const [notification] = await eventually('a first delivery attempt', async () => {
            const list = await notifications(simulator, outTradeNo);
            return list[0]?.attempts.length ? list : undefined;
        });
        assert.equal(notification?.attempts[0]?.outcome, 'failed');
        assert.equal(notification?.attempts[0]?.httpStatus, undefined);
        assert.match(notification?.attempts[0]?.reason ?? '', /ECONNREFUSED/);
    });
});
