import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { paidOrder, refund, refundsOf, type RefundView } from './support';

// What WeChat's refund answers do to a refund: a final code fails it with WeChat's words (and
// the money counts as refundable again); a retryable one keeps it processing, to be asked
// again by the refund job with the same out_refund_no and amounts.

describe("WeChat's answers to a refund", () => {
    let app: TestApp;
    let token: string;
    before(async () => {
        app = await startTestApp();
        ({ token } = await app.login());
    });
    afterEach(() => app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' }));
    after(() => app.stop());

    const fault = (name: string) => app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'refund', fault: name } });

    it('NOTENOUGH: failed with WeChat\'s code and words; the amount may be refunded again', async () => {
        const order = await paidOrder(app, token);
        await fault('notenough');
        const response = await refund(app, order.id, { refund_fee: order.total_fee });
        assert.equal(response.statusCode, 202, response.payload);
        const failed = response.result as RefundView & { failure_message: string };
        assert.equal(failed.status, 'failed');
        assert.equal(failed.failure_code, 'NOTENOUGH');
        assert.ok(failed.failure_message.length > 0);
        assert.equal((await refund(app, order.id, { refund_fee: order.total_fee })).statusCode, 202);
    });

    for (const [name, code] of [['systemerror', 'SYSTEMERROR'], ['bizerr_need_retry', 'BIZERR_NEED_RETRY'], ['frequency_limited', 'FREQUENCY_LIMITED']] as const) {
        it(`${code}: kept processing, then accepted on the job's retry with the same out_refund_no`, async () => {
            const order = await paidOrder(app, token);
            await fault(name);
            const kept = (await refund(app, order.id, { refund_fee: 100 })).result as RefundView;
            assert.equal(kept.status, 'processing');
            assert.equal(kept.failure_code, code);
            assert.equal(kept.refund_id, null);

            assert.equal((await app.server.services().refundJob.runOnce()).retried, 1);
            const [retried] = await refundsOf(app, order.id);
            assert.equal(retried!.out_refund_no, kept.out_refund_no);
            assert.ok(retried!.refund_id);
            assert.equal(retried!.failure_code, null);
        });
    }
});
