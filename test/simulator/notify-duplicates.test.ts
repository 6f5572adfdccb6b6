import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ACK, notifications, pay, placeOrder, startNotifyReceiver, startSimulator, type RunningSimulator } from './harness';
import { eventually } from '../helpers/wait';

// WeChat sometimes delivers the same notification more than once at the same moment:
// with notifyDuplicates 3 the first attempt comes from three senders in parallel.

describe('duplicate notifications', () => {
    let simulator: RunningSimulator;
    let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
    before(async () => {
        simulator = await startSimulator({ notifyDuplicates: 3 });
        receiver = await startNotifyReceiver(() => ({ status: 200, body: ACK }));
    });
    after(async () => {
        await simulator.server.stop();
        await receiver.close();
    });

    it('arrive together, identical, and are each recorded under attempt 1', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url });
        await pay(simulator, prepayId);
        const [notification] = await eventually('the duplicated notification', async () => {
            const list = await notifications(simulator, outTradeNo);
            return list[0]?.attempts.length === 3 ? list : undefined;
        });

        assert.equal(receiver.received.length, 3);
        assert.equal(new Set(receiver.received.map(({ body }) => body)).size, 1);
        const arrivals = receiver.received.map(({ at }) => at);
        assert.ok(Math.max(...arrivals) - Math.min(...arrivals) < 100, 'sent in parallel, not one after another');
        assert.deepEqual(notification?.attempts.map(({ attempt, sender }) => [attempt, sender]).sort(), [[1, 1], [1, 2], [1, 3]]);
        assert.equal(notification?.acknowledged, true);
    });
});
