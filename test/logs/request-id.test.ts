import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';

// Every log line written while serving a request carries its id (also the lines services
// write through the app's logger), and the response says it in x-request-id.

interface LogLine {
    msg: string;
    reqId?: string;
    req?: { path: string };
}

const linesOf = (app: TestApp) => app.logs.map((line) => JSON.parse(line) as LogLine);

/** A GET over a real keep-alive connection, so consecutive requests share a socket. */
function get(agent: http.Agent, url: string, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
        http.get(url, { agent, headers }, (response) => {
            response.resume();
            response.on('end', () => resolve(response));
        }).on('error', reject);
    });
}

describe('request ids', () => {
    describe('behind no trusted proxy', () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp();
        });
        after(async () => {
            await app.stop();
        });

        it('makes one per request, returns it in x-request-id and puts it on the request log line', async () => {
            const response = await app.inject({ method: 'GET', url: '/shops' });
            const id = String(response.headers['x-request-id']);
            assert.match(id, /^[0-9a-f-]{36}$/);
            const line = linesOf(app).find((entry) => entry.reqId === id);
            assert.equal(line?.req?.path, '/shops');
        });

        it("ignores a client's own x-request-id (anyone can send the header)", async () => {
            const response = await app.inject({ method: 'GET', url: '/shops', headers: { 'x-request-id': 'chosen-by-client' } });
            assert.notEqual(response.headers['x-request-id'], 'chosen-by-client');
        });

        it('puts the id on lines a service writes through the app logger, and on error answers', async () => {
            const response = await app.inject({
                method: 'POST', url: '/orders/pay/notify', headers: { 'content-type': 'text/xml' },
                payload: '<xml><return_code>SUCCESS</return_code><out_trade_no>T1</out_trade_no><sign>00</sign></xml>',
            });
            assert.equal(response.statusCode, 400);
            const id = String(response.headers['x-request-id']);
            const serviceLine = linesOf(app).find((entry) => entry.msg === 'payment notification rejected');
            assert.equal(serviceLine?.reqId, id);
        });

        it('gives consecutive requests on one keep-alive connection their own ids; lines outside a request have none', async () => {
            const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
            const { token } = await app.login();
            const first = await get(agent, `${app.server.info.uri}/orders`, bearer(token));
            const second = await get(agent, `${app.server.info.uri}/orders`);
            agent.destroy();
            assert.equal(first.statusCode, 200);
            assert.equal(second.statusCode, 401);
            assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id']);
            const started = linesOf(app).find((entry) => entry.msg === 'server started');
            assert.equal(started?.reqId, undefined);
        });
    });

    describe('behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ listen: false, env: { TRUSTED_PROXIES: '127.0.0.1' } });
        });
        after(async () => {
            await app.stop();
        });

        it("keeps the proxy's id, so its access log and ours match", async () => {
            const response = await app.inject({ method: 'GET', url: '/shops', headers: { 'x-request-id': 'edge-7f3a.42' } });
            assert.equal(response.headers['x-request-id'], 'edge-7f3a.42');
            assert.ok(linesOf(app).some((entry) => entry.reqId === 'edge-7f3a.42' && entry.req?.path === '/shops'));
        });

        it('replaces an id that is too long or has unsafe characters', async () => {
            for (const offered of ['x'.repeat(65), 'a b', 'id\u00e9', '<script>', 'a\\nb']) {
                const response = await app.inject({ method: 'GET', url: '/shops', headers: { 'x-request-id': offered } });
                assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/, offered);
            }
        });

        it('does not take it from a request that did not come through the proxy', async () => {
            const response = await app.inject({ method: 'GET', url: '/shops', headers: { 'x-request-id': 'edge-1' }, remoteAddress: '203.0.113.9' });
            assert.notEqual(response.headers['x-request-id'], 'edge-1');
        });
    });
});
