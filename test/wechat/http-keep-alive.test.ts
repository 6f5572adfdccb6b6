import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { createWechatHttpClient, IDLE_CONNECTION_MS } from '../../src/wechat/http';

// A server closes a kept-alive connection once it has been idle for its keep-alive timeout
// (Node's default, the simulator's: 5 s). The client closes its own side first, so no call goes
// out on a connection at the moment the server closes it.
describe('calls to WeChat on kept-alive connections', () => {
    let server: http.Server;
    let url: string;
    let connections = 0;

    before(async () => {
        server = http.createServer((_request, response) => response.end('<xml></xml>'));
        server.keepAliveTimeout = 5000;
        server.on('connection', () => {
            connections += 1;
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pay/orderquery`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reuse a connection between close calls, and close one idle for longer than IDLE_CONNECTION_MS before the server does', { timeout: 15_000 }, async () => {
        assert.ok(IDLE_CONNECTION_MS < server.keepAliveTimeout);
        const client = createWechatHttpClient(2000);
        await client.post(url, '<xml></xml>');
        await client.post(url, '<xml></xml>');
        assert.equal(connections, 1, 'back-to-back calls share a connection');

        await sleep(IDLE_CONNECTION_MS + 300);
        assert.equal((await client.post(url, '<xml></xml>')).status, 200);
        assert.equal(connections, 2, 'the idle connection was closed on our side, and the call opened a new one');
    });
});
