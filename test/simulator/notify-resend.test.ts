import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ACK, notifications, pay, placeOrder, startNotifyReceiver, startSimulator, type RunningSimulator } from './harness';
import { eventually } from '../helpers/wait';

// POST /simulator/notifications/resend posts an order's stored notification once more, to
// test that the app handles a repeat idempotently.

describe('POST /simulator/notifications/resend', () => {
    let simulator: RunningSimulator;
    let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
    before(async () => {
        simulator = await startSimulator();
        receiver = await startNotifyReceiver(() => ({ status: 200, body: ACK }));
    });
    after(async () => {
        await simulator.server.stop();
        await receiver.close();
    });

    it('posts the same body again and returns the attempt', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url });
        await pay(simulator, prepayId);
        await eventually('the notification acknowledged', async () => ((await notifications(simulator, outTradeNo))[0]?.acknowledged ? true : undefined));

        const response = await simulator.http.post('/simulator/notifications/resend', { out_trade_no: outTradeNo });
        assert.equal(response.status, 200);
        assert.equal(response.data.kind, 'resend');
        assert.equal(response.data.attempt, 1);
        assert.equal(response.data.outcome, 'acknowledged');
        assert.equal(receiver.received.length, 2);
        assert.equal(receiver.received[0]?.body, receiver.received[1]?.body);
        assert.equal((await notifications(simulator, outTradeNo))[0]?.attempts.length, 2);
    });

    it('answers 404 for an order without a notification, and 400 without out_trade_no', async () => {
        assert.equal((await simulator.http.post('/simulator/notifications/resend', { out_trade_no: 'NothingHere1' })).status, 404);
        const missing = await simulator.http.post('/simulator/notifications/resend', {});
        assert.equal(missing.status, 400);
        assert.match(missing.data.message, /out_trade_no/);
    });
});
