import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { holdConnection } from '../helpers/slow-client';

// Clients that send slowly, or not at all, are cut off within seconds (the limits below, plus
// node's one-second check and a margin for a loaded machine), not after minutes. Each client
// would go on for a minute or more if the server let it.

const LIMITS = {
    HTTP_HEADERS_TIMEOUT_MS: '1000',
    HTTP_REQUEST_TIMEOUT_MS: '3000',
    HTTP_PAYLOAD_TIMEOUT_MS: '1000',
    HTTP_IDLE_TIMEOUT_MS: '1000',
    WX_HTTP_TIMEOUT_MS: '1000',
    ROUTE_TIMEOUT_MS: '2000',
    NOTIFY_ROUTE_TIMEOUT_MS: '1500',
    DB_STATEMENT_TIMEOUT_MS: '1000',
    DB_POOL_ACQUIRE_TIMEOUT_MS: '1000',
};
/** The longest any of these limits may take to bite, with room for a loaded machine. */
const CUT_OFF_WITHIN_MS = 6000;
/** A client goes on this long unless cut off. */
const PATIENCE_MS = 60_000;

const jsonHead = (path: string, length: number) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('slow clients', () => {
    let app: TestApp;
    let port: number;

    before(async () => {
        app = await startTestApp({ env: LIMITS });
        port = app.config.server.port;
    });

    after(async () => {
        await app.stop();
    });

    it('a body dripping one byte at a time is cut off, the socket closed, instead of drained for minutes', async () => {
        const body = JSON.stringify({ code: 'x'.repeat(300) });
        const held = await holdConnection({ port, opening: jsonHead('/users/wxLogin', body.length), drip: body, dripEveryMs: 200, giveUpMs: PATIENCE_MS });
        assert.ok(held.closedByServer, 'the server closed the connection');
        assert.ok(held.heldMs < CUT_OFF_WITHIN_MS, `held ${held.heldMs} ms`);
        assert.match(held.received, /^HTTP\/1\.1 (408|503) /);
    });

    it('a notification dripping in is answered with WeChat\'s FAIL (HTTP 500, XML), so WeChat delivers it again', async () => {
        const body = '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>'.padEnd(400, ' ');
        const head = `POST /orders/pay/notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n`;
        const held = await holdConnection({ port, opening: head, drip: body, dripEveryMs: 200, giveUpMs: PATIENCE_MS });
        assert.ok(held.heldMs < CUT_OFF_WITHIN_MS, `held ${held.heldMs} ms`);
        assert.match(held.received, /^HTTP\/1\.1 500 /);
        assert.match(held.received, /content-type: text\/xml/i);
        assert.match(held.received, /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/);
    });

    it('headers dripping one byte at a time are cut off', async () => {
        const held = await holdConnection({ port, opening: 'GET /health HTTP/1.1\r\n', drip: `X-Slow: ${'y'.repeat(200)}\r\n\r\n`, dripEveryMs: 200, giveUpMs: PATIENCE_MS });
        assert.ok(held.closedByServer);
        assert.ok(held.heldMs < CUT_OFF_WITHIN_MS, `held ${held.heldMs} ms`);
    });

    it('a socket that never says anything is closed', async () => {
        const held = await holdConnection({ port, giveUpMs: PATIENCE_MS });
        assert.ok(held.closedByServer);
        assert.ok(held.heldMs < CUT_OFF_WITHIN_MS, `held ${held.heldMs} ms`);
    });

    it('a kept-alive connection that goes quiet after its reply is closed', async () => {
        const held = await holdConnection({ port, opening: 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', giveUpMs: PATIENCE_MS });
        assert.match(held.received, /^HTTP\/1\.1 200 /);
        assert.ok(held.closedByServer);
        // Tighter than the others: node's own default would close it after 5 s.
        assert.ok(held.heldMs < 4000, `held ${held.heldMs} ms`);
    });
});
