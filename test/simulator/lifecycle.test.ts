import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { jsapiOrder, notifications, pay, placeOrder, signedXml, startNotifyReceiver, startSimulator } from './harness';
import { eventually } from '../helpers/wait';

// Stopping the server ends whatever the simulator still has to do: replies held by a
// timeout fault and notification retries. Nothing it leaves behind keeps the process alive.

describe('stopping the simulator', () => {
    it('releases a reply held by a timeout fault at once', async () => {
        const simulator = await startSimulator();
        await simulator.http.post('/simulator/faults', { endpoint: 'unifiedorder', fault: 'timeout', delayMs: 60_000 });
        const held = simulator.http.post('/pay/unifiedorder', signedXml(jsapiOrder())).catch((error: unknown) => error);
        await new Promise((resolve) => setTimeout(resolve, 100));

        const started = Date.now();
        await simulator.server.stop();
        await held;
        assert.ok(Date.now() - started < 2000, `stop took ${Date.now() - started} ms`);
    });

    it('cancels pending notification retries', async () => {
        // Real time: the first retry would be due 15 s after the failed first attempt.
        const simulator = await startSimulator({ timeScale: 1 });
        const receiver = await startNotifyReceiver(() => ({ status: 500, body: '' }));
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url });
        await pay(simulator, prepayId);
        await eventually('a first delivery attempt', async () => ((await notifications(simulator, outTradeNo))[0]?.attempts.length ? true : undefined));

        const started = Date.now();
        await simulator.server.stop();
        assert.ok(Date.now() - started < 1000, `stop took ${Date.now() - started} ms`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(receiver.received.length, 1);
        await receiver.close();
    });
});
