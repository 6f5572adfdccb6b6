import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import Hapi, { type Server } from '@hapi/hapi';
import axios from 'axios';

import { simulatorPlugin } from '../../src/simulator/plugin';
import { parseWxXml } from '../../src/wechat/xml';
import { jsapiOrder, merchant, requestPaymentParams, signedXml } from './harness';

// The app mounts the simulator in-process under /__wechat; everything works there too.

describe('the plugin under the /__wechat prefix', () => {
    let server: Server;
    let base: string;
    before(async () => {
        server = Hapi.server({ host: '127.0.0.1', port: 0 });
        await server.register(
            { plugin: simulatorPlugin, options: { merchant, timeScale: 0.001, notifyDuplicates: 1, notifyTimeoutMs: 1000 } },
            { routes: { prefix: '/__wechat' } },
        );
        await server.start();
        base = `${server.info.uri}/__wechat`;
    });
    after(() => server.stop());

    const http = axios.create({ validateStatus: () => true, proxy: false });

    it('serves the login and pay APIs under the prefix', async () => {
        const login = await http.get(`${base}/sns/jscode2session`, {
            params: { appid: merchant.appId, secret: merchant.appSecret, js_code: 'ivan.1', grant_type: 'authorization_code' },
        });
        assert.ok(login.data.openid);
        const order = await http.post<string>(`${base}/pay/unifiedorder`, signedXml(jsapiOrder()), { responseType: 'text' });
        assert.equal((await parseWxXml(order.data)).result_code, 'SUCCESS');
    });

    it('has the cashier page post to the pay route under the same prefix', async () => {
        const order = await parseWxXml((await http.post<string>(`${base}/pay/unifiedorder`, signedXml(jsapiOrder()), { responseType: 'text' })).data);
        const params = requestPaymentParams(order.prepay_id as string);
        const cashierUrl = `${base}/simulator/cashier?${new URLSearchParams(params)}`;
        assert.equal((await http.get(cashierUrl)).status, 200);
        // What the page's fetch('pay') resolves to:
        const payUrl = new URL('pay', cashierUrl).href;
        assert.equal(payUrl, `${base}/simulator/pay`);
        assert.equal((await http.post(payUrl, params)).data.errMsg, 'requestPayment:ok');
    });

    it('refuses bodies over 64 KB', async () => {
        const large = signedXml(jsapiOrder({ detail: 'x'.repeat(70_000) }));
        assert.equal((await http.post(`${base}/pay/unifiedorder`, large, { headers: { 'Content-Type': 'text/xml' } })).status, 413);
        assert.equal((await http.post(`${base}/simulator/faults`, { endpoint: 'x'.repeat(70_000) })).status, 413);
    });
});

describe('the plugin\'s options', () => {
    it('are checked at registration, naming the field and never echoing the key', async () => {
        const server = Hapi.server();
        await assert.rejects(
            server.register({ plugin: simulatorPlugin, options: { merchant, timeScale: 0, notifyDuplicates: 1, notifyTimeoutMs: 1000 } }),
            (error: Error) => /timeScale/.test(error.message) && !error.message.includes(merchant.apiKey),
        );
    });
});
