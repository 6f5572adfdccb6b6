import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { holdConnection, type HeldConnection } from '../test/helpers/slow-client';
import { count, measure, scenario } from './support/figures';
import { attempt } from './support/http';
import { eventually, health, newCredentials, startApp, stopAll, type RunningApp } from './support/processes';

// Attackers hold connections open: silent sockets, headers or bodies dripping a byte at a time,
// kept-alive connections gone quiet, and more connections than the cap. With the default limits
// (nothing about them configured) every one is closed by the server within seconds, and /health
// keeps answering while they are held.

const PER_KIND = 10;
/** The default route timeout (15 s) is the longest limit; node's 1 s check and a loaded machine the margin. */
const CLOSED_WITHIN_MS = 15_000 + 5000;
const PATIENCE_MS = 120_000;
const CAP = 40;

const kinds: Record<string, { opening: string; drip?: string }> = {
    'silent socket': { opening: '' },
    'headers dripping': { opening: 'GET /health HTTP/1.1\r\n', drip: `X-Slow: ${'h'.repeat(2000)}\r\n\r\n` },
    'JSON body dripping': { opening: 'POST /users/wxLogin HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n', drip: `{"code":"${'c'.repeat(3990)}"}` },
    'notification dripping': { opening: 'POST /orders/pay/notify HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 2000\r\n\r\n', drip: '<xml>'.padEnd(2000, ' ') },
    'kept alive, then quiet': { opening: 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n' },
};

describe('slow clients against the default limits', () => {
    let database: TestDatabase;
    let app: RunningApp;

    before(async () => {
        scenario('slow clients (connection hold times)');
        database = await createSqliteDatabase();
        app = await startApp('app', {
            ...newCredentials(),
            DATABASE_URL: database.url,
            WECHAT_SIMULATOR: 'false',
            DEV_LOGIN: 'false',
            // Never called: nothing here reaches WeChat.
            WX_API_BASE_URL: 'http://127.0.0.1:9',
            WX_PAY_BASE_URL: 'http://127.0.0.1:9',
            RECONCILE_INTERVAL_MS: '0',
            HTTP_MAX_CONNECTIONS: String(CAP * 4),
        });
    });

    after(async () => {
        await stopAll();
        await database?.drop();
    });

    it(`closes every held connection (${PER_KIND} of each kind at once) within ${CLOSED_WITHIN_MS / 1000} s, while /health answers`, async () => {
        const held: Array<Promise<{ kind: string; result: HeldConnection }>> = [];
        for (const [kind, { opening, drip }] of Object.entries(kinds)) {
            for (let index = 0; index < PER_KIND; index += 1) {
                held.push(holdConnection({ port: app.port, opening, drip, dripEveryMs: 500, giveUpMs: PATIENCE_MS }).then((result) => ({ kind, result })));
            }
        }
        count('hostile', held.length);

        const healthLatencies: number[] = [];
        let settled = false;
        const all = Promise.all(held).finally(() => (settled = true));
        while (!settled) {
            const reply = await attempt(`${app.url}/health`, { timeoutMs: 5000 });
            assert.ok(!('error' in reply) && reply.status === 200, `/health while slow clients are held: ${JSON.stringify('error' in reply ? reply : reply.status)}`);
            healthLatencies.push(reply.ms);
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const results = await all;

        for (const kind of Object.keys(kinds)) {
            const ofKind = results.filter((entry) => entry.kind === kind).map((entry) => entry.result);
            measure(`longest hold: ${kind}`, Math.max(...ofKind.map((result) => result.heldMs)) / 1000, 's');
        }
        const slowest = Math.max(...results.map((entry) => entry.result.heldMs));
        measure('slowest held connection (default limits)', slowest / 1000, 's');
        measure('slowest /health while connections were held', Math.max(...healthLatencies), 'ms');

        assert.deepEqual(results.filter((entry) => !entry.result.closedByServer).map((entry) => entry.kind), [], 'the server closed every connection');
        assert.ok(slowest < CLOSED_WITHIN_MS, `slowest held ${slowest} ms`);
    });

    it('refuses connections beyond HTTP_MAX_CONNECTIONS at once, and serves again once the held ones are closed', async () => {
        const over = CAP * 4 + 30;
        const sockets = await Promise.all(Array.from({ length: over }, () => holdConnection({ port: app.port, giveUpMs: PATIENCE_MS })));
        count('hostile', over);
        const refusedAtOnce = sockets.filter((result) => result.heldMs < 1000).length;
        measure(`connections over the cap (${CAP * 4}) closed within 1 s`, refusedAtOnce, `of ${over}`);
        assert.ok(refusedAtOnce >= over - CAP * 4, `${refusedAtOnce} closed at once`);
        assert.ok(sockets.every((result) => result.closedByServer));
        assert.equal(await eventually('/health answers again', async () => ((await health(app)) === 200 ? 200 : undefined), 10_000), 200);
    });
});
