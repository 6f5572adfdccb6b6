import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Request } from '@hapi/hapi';

import { EXAMPLE_MERCHANT, loadConfig } from '../../src/config';
import { clientIp } from '../../src/routes/client-ip';
import { orderBody } from '../../src/services/payment-service';
import { paymentFromFields, WxPayService } from '../../src/services/wx-pay-service';
import type { Order } from '../../src/models';
import { createWechatHttpClient } from '../../src/wechat/http';

const service = (env: Record<string, string> = {}) => new WxPayService(loadConfig(env).wechat, createWechatHttpClient(1000));

describe('WxPayService signing', () => {
    it("agrees with WeChat's official example, MD5 and HMAC-SHA256", () => {
        const params = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
        assert.equal(EXAMPLE_MERCHANT.apiKey, '192006250b4c09247ec02edce69f6a2d');
        assert.equal(service().sign(params, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
        assert.equal(service().sign(params, 'HMAC-SHA256'), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
    });

    it("agrees with wx.requestPayment's documented example", () => {
        // Another merchant's key: the configuration refuses it beside the in-process simulator, the dev login and the default JWT secret.
        const pay = service({ WX_APPID: 'wxd678efh567hg6787', WX_PAY_API_KEY: 'qazwsxedcrfvtgbyhnujmikolp111111', WECHAT_SIMULATOR: 'false', DEV_LOGIN: 'false', JWT_SECRET: 'a-test-secret-for-a-merchant-of-its-own' });
        const params = { appId: 'wxd678efh567hg6787', timeStamp: '1490840662', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx2017033010242291fcfe0db70013231072', signType: 'MD5' };
        assert.equal(pay.sign(params, 'MD5'), '22D9B4E54AB1950F51E0649E8810ACD6');
    });

    it('re-signs a prepay for wx.requestPayment with whole seconds and a fresh nonce', () => {
        const pay = service({ WX_PAY_SIGN_TYPE: 'HMAC-SHA256' });
        const params = pay.requestPaymentParams('wx201410272009395522657a690389285100', 'HMAC-SHA256', new Date(1_490_840_662_789));
        assert.equal(params.timeStamp, '1490840662');
        assert.equal(params.package, 'prepay_id=wx201410272009395522657a690389285100');
        assert.match(params.nonceStr, /^[0-9a-f]{32}$/);
        const { paySign, ...signed } = params;
        assert.equal(pay.verify({ ...signed, sign: paySign }, 'HMAC-SHA256'), true);
        assert.notEqual(pay.requestPaymentParams('x', 'MD5').nonceStr, pay.requestPaymentParams('x', 'MD5').nonceStr);
    });

    it('verifies a notification with the sign type it names, else the one the prepay used', () => {
        const pay = service();
        const fields = { appid: EXAMPLE_MERCHANT.appId, mch_id: EXAMPLE_MERCHANT.mchId, out_trade_no: 'T0000001', total_fee: '1' };
        const hmac = { ...fields, sign: pay.sign(fields, 'HMAC-SHA256') };
        assert.equal(pay.verifyNotification(hmac, 'HMAC-SHA256'), true);
        assert.equal(pay.verifyNotification(hmac, 'MD5'), false);
        const named = { ...fields, sign_type: 'HMAC-SHA256' };
        assert.equal(pay.verifyNotification({ ...named, sign: pay.sign(named, 'HMAC-SHA256') }, 'MD5'), true);
        const bogus = { ...fields, sign_type: 'SHA1' };
        assert.equal(pay.verifyNotification({ ...bogus, sign: pay.sign(bogus, 'MD5') }, 'MD5'), false);
    });
});

describe('reading a payment WeChat vouches for', () => {
    it('takes total_fee as integer fen and time_end as Beijing time', () => {
        assert.deepEqual(paymentFromFields({ out_trade_no: 'T0000001', transaction_id: '4200000001', total_fee: '1860', time_end: '20261128003000' }), {
            outTradeNo: 'T0000001', transactionId: '4200000001', totalFee: 1860, paidAt: new Date('2026-11-27T16:30:00Z'),
        });
    });

    it('refuses a fractional, negative or missing amount', () => {
        for (const total_fee of ['18.60', '-1', '', '1e3', undefined]) {
            assert.equal(paymentFromFields({ out_trade_no: 'T0000001', transaction_id: '4200000001', total_fee }), undefined);
        }
    });
});

describe("unifiedorder's body", () => {
    const orderWith = (names: string[], shop = '店铺1') => ({
        outTradeNo: 'T0000001',
        items: names.map((name) => ({ goods: { name, shop: { name: shop } } })),
    }) as unknown as Order;

    it('names the shop and the goods', () => {
        assert.equal(orderBody(orderWith(['商品1-1', '商品1-2'])), '店铺1-商品1-1,商品1-2');
    });

    it('stays within 127 bytes of UTF-8 without splitting a character', () => {
        const body = orderBody(orderWith(Array.from({ length: 40 }, (_unused, index) => `商品${index}`)));
        assert.ok(Buffer.byteLength(body, 'utf8') <= 127);
        assert.ok(Buffer.byteLength(body, 'utf8') > 120);
        assert.equal(Buffer.from(body, 'utf8').toString('utf8'), body);
        assert.ok(!body.includes('\uFFFD'));
    });
});

describe("the payer's IP for spbill_create_ip", () => {
    const request = (remoteAddress: string, forwarded?: string) => ({ info: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as Request;

    it('ignores X-Forwarded-For from anyone but a trusted proxy', () => {
        assert.equal(clientIp(request('198.51.100.9', '1.2.3.4'), []), '198.51.100.9');
        assert.equal(clientIp(request('198.51.100.9', '1.2.3.4'), ['10.0.0.1']), '198.51.100.9');
    });

    it('walks back through trusted proxies only', () => {
        assert.equal(clientIp(request('10.0.0.1', '1.2.3.4, 203.0.113.7'), ['10.0.0.1']), '203.0.113.7');
        assert.equal(clientIp(request('10.0.0.1', '1.2.3.4, 10.0.0.2'), ['10.0.0.1', '10.0.0.2']), '1.2.3.4');
        assert.equal(clientIp(request('::ffff:10.0.0.1', 'not-an-ip'), ['10.0.0.1']), '10.0.0.1');
    });
});
