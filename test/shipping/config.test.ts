import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadConfig } from '../../src/config';
import { toHttpError } from '../../src/plugins/error-mapping';
import { WechatApiRefusal } from '../../src/wechat/errors';

// The shipping settings, their defaults, and what a refusal of a mini-program API becomes.
describe('shipping configuration', () => {
    it('defaults to auto-receive after 7 days, checked every 10 minutes, and uploads retried from 5 s', () => {
        assert.deepEqual(loadConfig({}).shipping, { autoReceiveDays: 7, autoReceiveIntervalMs: 600_000, uploadIntervalMs: 5000, uploadRetryMs: 5000 });
        assert.equal(loadConfig({ ORDER_AUTO_RECEIVE_DAYS: '14' }).shipping.autoReceiveDays, 14);
    });

    it('refuses a bad value naming the variable', () => {
        assert.throws(() => loadConfig({ ORDER_AUTO_RECEIVE_DAYS: '0' }), /"ORDER_AUTO_RECEIVE_DAYS" must be greater than or equal to 1/);
        assert.throws(() => loadConfig({ SHIPPING_UPLOAD_RETRY_MS: 'soon' }), /"SHIPPING_UPLOAD_RETRY_MS" must be a number/);
    });

    it("answers 502 with WeChat's errcode when stable_token or the order-shipping service refuses this server", () => {
        const error = toHttpError(new WechatApiRefusal('stable_token', 40125, 'invalid appsecret'));
        assert.equal(error?.output.statusCode, 502);
        assert.match(error!.message, /stable_token failed: invalid appsecret \(errcode 40125\)/);
    });
});
