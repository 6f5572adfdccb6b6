import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { apiOf, createWechatHttpClient, type WechatCall } from '../../src/wechat/http';
import { freePort } from '../helpers/wait';

// createWechatHttpClient tells its observer how every call to WeChat ended, over real HTTP.

describe("the WeChat HTTP client's observer", () => {
    let server: Server;
    let base: string;
    const calls: WechatCall[] = [];
    const client = createWechatHttpClient(300, (call) => void calls.push(call));

    before(async () => {
        server = createServer((request, response) => {
            if (request.url?.startsWith('/__wechat/pay/orderquery')) {
                return; // never answers: the client's timeout fires
            }
            response.statusCode = request.url?.startsWith('/pay/closeorder') ? 500 : 200;
            response.end('<xml></xml>');
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    });

    const lastCall = () => calls.at(-1)!;

    it('names the API from the path and reports ok with its latency', async () => {
        await client.post(`${base}/pay/unifiedorder`, '<xml/>');
        assert.deepEqual({ api: lastCall().api, outcome: lastCall().outcome }, { api: 'pay/unifiedorder', outcome: 'ok' });
        assert.ok(lastCall().seconds > 0 && lastCall().seconds < 5);
    });

    it('reports a non-2xx status as http_error', async () => {
        const response = await client.post(`${base}/pay/closeorder`, '<xml/>');
        assert.equal(response.status, 500);
        assert.deepEqual({ api: lastCall().api, outcome: lastCall().outcome }, { api: 'pay/closeorder', outcome: 'http_error' });
    });

    it('reports a call that outlives the timeout as timeout (under the simulator prefix too)', async () => {
        await assert.rejects(client.post(`${base}/__wechat/pay/orderquery`, '<xml/>'));
        assert.deepEqual({ api: lastCall().api, outcome: lastCall().outcome }, { api: 'pay/orderquery', outcome: 'timeout' });
        assert.ok(lastCall().seconds >= 0.25);
    });

    it('reports a refused connection as network_error', async () => {
        await assert.rejects(client.get(`http://127.0.0.1:${await freePort()}/sns/jscode2session`, { params: { js_code: 'x' } }));
        assert.deepEqual({ api: lastCall().api, outcome: lastCall().outcome }, { api: 'sns/jscode2session', outcome: 'network_error' });
    });

    it('apiOf keeps only the last two path segments', () => {
        assert.equal(apiOf('https://api.mch.weixin.qq.com/secapi/pay/refund'), 'pay/refund');
        assert.equal(apiOf('http://127.0.0.1:3000/__wechat/sns/jscode2session?appid=x'), 'sns/jscode2session');
    });
});
