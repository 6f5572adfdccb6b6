import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { verify } from '../../src/wechat/sign';
import { parseWxXml } from '../../src/wechat/xml';
import { ACK, merchant, notifications, pay, placeOrder, startNotifyReceiver, startSimulator, type RunningSimulator } from './harness';
import { eventually } from '../helpers/wait';

// A payment makes WeChat post a signed notification to the order's notify_url; it is
// signed the way the prepay was, and never carries sign_type.

describe('the payment notification', () => {
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

    const received = (outTradeNo: string) => eventually('the notification received', async () => {
        for (const { body } of receiver.received) {
            const fields = await parseWxXml(body);
            if (fields.out_trade_no === outTradeNo) {
                return fields;
            }
        }
        return undefined;
    });

    it('carries WeChat\'s fields, signed MD5, as text/xml', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url, total_fee: '888' });
        const { transaction_id } = (await pay(simulator, prepayId)).data;
        const notification = await received(outTradeNo);

        assert.deepEqual(Object.keys(notification).sort(), [
            'appid', 'bank_type', 'cash_fee', 'fee_type', 'is_subscribe', 'mch_id', 'nonce_str', 'openid', 'out_trade_no',
            'result_code', 'return_code', 'sign', 'time_end', 'total_fee', 'trade_type', 'transaction_id',
        ]);
        assert.equal(notification.transaction_id, transaction_id);
        assert.equal(notification.total_fee, '888');
        assert.equal(notification.result_code, 'SUCCESS');
        assert.equal(verify(notification, merchant.apiKey, 'MD5'), true);
        assert.match(receiver.received[0]?.contentType ?? '', /^text\/xml/);
    });

    it('is signed HMAC-SHA256 when the prepay was, without a sign_type field', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url }, 'HMAC-SHA256');
        await pay(simulator, prepayId, 'HMAC-SHA256');
        const notification = await received(outTradeNo);
        assert.equal(notification.sign_type, undefined);
        assert.equal(verify(notification, merchant.apiKey, 'HMAC-SHA256'), true);
        assert.equal(verify(notification, merchant.apiKey, 'MD5'), false);
    });

    it('reports a failed payment with result_code FAIL and an err_code, and no transaction', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url });
        const response = await pay(simulator, prepayId, 'MD5', 'fail');
        assert.equal(response.status, 402);
        assert.match(response.data.errMsg, /^requestPayment:fail/);
        const notification = await received(outTradeNo);
        assert.equal(notification.return_code, 'SUCCESS');
        assert.equal(notification.result_code, 'FAIL');
        assert.ok(notification.err_code);
        assert.ok(notification.err_code_des);
        assert.equal(notification.transaction_id, undefined);
        assert.equal(verify(notification, merchant.apiKey, 'MD5'), true);
    });

    it('is listed as delivered and acknowledged, with the exact body posted', async () => {
        const { outTradeNo, prepayId } = await placeOrder(simulator, { notify_url: receiver.url });
        const { transaction_id } = (await pay(simulator, prepayId)).data;
        const [listed] = await eventually('the notification acknowledged', async () => {
            const list = await notifications(simulator, outTradeNo);
            return list[0]?.acknowledged ? list : undefined;
        });
        assert.ok(listed);
        assert.equal(listed.transaction_id, transaction_id);
        assert.equal(listed.result_code, 'SUCCESS');
        assert.equal(listed.gaveUp, false);
        assert.equal(listed.attempts.length, 1);
        assert.equal(listed.attempts[0]?.outcome, 'acknowledged');
        assert.equal(listed.attempts[0]?.httpStatus, 200);
        assert.ok(receiver.received.some(({ body }) => body === listed.xml));
    });
});
