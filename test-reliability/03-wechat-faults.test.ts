import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { count, scenario } from './support/figures';
import { bearer, freePort, request } from './support/http';
import { eventually, newCredentials, startApp, startSimulator, stopAll, type RunningApp } from './support/processes';
import { Shop, type OrderView } from './support/shop';
import { openStore, orderById, retireStore, type Store } from './support/store';
import { TcpProxy } from './support/tcp-proxy';

// WeChat Pay misbehaves during POST /orders/{id}/pay: the shopper gets the documented 502 or
// 504 within WX_HTTP_TIMEOUT_MS + 1 s, no prepay is kept, and the next try works. The app
// reaches WeChat Pay through a relay the test can close (connection refused).

const TIMEOUT_MS = 500;
const ANSWER_WITHIN_MS = TIMEOUT_MS + 1000;

const FAULTS: ReadonlyArray<[fault: string, status: number, message: RegExp]> = [
    ['timeout', 504, /did not answer in time/],
    ['http500', 502, /invalid reply: HTTP 500/],
    ['garbled', 502, /invalid reply: not WeChat Pay XML/],
    ['badsign', 502, /invalid reply: signature does not verify/],
    ['systemerror', 502, /SYSTEMERROR/],
];

describe('WeChat Pay faults (SQLite)', () => {
    let database: TestDatabase;
    let relay: TcpProxy;
    let store: Store;
    let app: RunningApp;
    let shop: Shop;
    let token: string;
    let closable: { order: OrderView; preparedAt: number };

    before(async () => {
        scenario('WeChat faults');
        database = await createSqliteDatabase();
        const credentials = newCredentials();
        // A prepay lives 72 s, closeorder is allowed 3 s after ordering, notify retries come every few 100 ms.
        const simulator = await startSimulator('simulator', { ...credentials, SIMULATOR_TIME_SCALE: '0.01' });
        // Closed until the first test opens it: WeChat Pay refuses connections.
        relay = await TcpProxy.closed({ host: '127.0.0.1', port: Number(new URL(simulator.url).port) }, await freePort());
        app = await startApp('app', {
            ...credentials,
            DATABASE_URL: database.url,
            WECHAT_SIMULATOR: 'false',
            DEV_LOGIN: 'false',
            WX_API_BASE_URL: simulator.url,
            WX_PAY_BASE_URL: `http://127.0.0.1:${relay.port}`,
            WX_HTTP_TIMEOUT_MS: String(TIMEOUT_MS),
            ORDER_QUERY_THROTTLE_MS: '0',
            RECONCILE_INTERVAL_MS: '0',
        });
        store = await openStore(database.url);
        shop = new Shop(app.url, simulator.url);
        ({ token } = await shop.login(`faults.${Date.now()}`));
        // An order to close at the end, made now so that WeChat's 5-minute wait is over by then.
        await relay.restore();
        const order = await shop.placeOrder(token);
        await shop.requestPayment(token, order.id);
        closable = { order, preparedAt: Date.now() };
        await relay.cut(); // counted as the connection-refused fault
    });

    after(async () => {
        await stopAll();
        await relay?.close();
        await retireStore(store);
        await database?.drop();
    });

    /** /pay answers `status` in time and stores no prepay. */
    async function failsInTime(order: OrderView, status: number, message: RegExp): Promise<void> {
        const failed = await shop.startPayment(token, order.id);
        assert.equal(failed.status, status, failed.text);
        assert.match((JSON.parse(failed.text) as { message: string }).message, message);
        assert.ok(failed.ms < ANSWER_WITHIN_MS, `answered in ${failed.ms} ms, more than ${ANSWER_WITHIN_MS}`);
        assert.equal((await orderById(store, order.id)).prepay_id, null, 'no prepay is stored');
    }

    /** The next /pay works, and paying in WeChat settles the order: the proof that the failure left nothing behind. */
    async function nextPayWorks(order: OrderView): Promise<void> {
        const params = await shop.requestPayment(token, order.id);
        assert.match(params.package, /^prepay_id=wx/);
        const { transactionId } = await shop.payInWechat(params);
        const row = await eventually(`order ${order.id} paid`, async () => {
            const current = await orderById(store, order.id);
            return current.status === 'unpaid' ? undefined : current;
        }, 10_000);
        const right = row.status === 'paid' && row.transaction_id === transactionId;
        count('wrongOrders', right ? 0 : 1);
        assert.ok(right, JSON.stringify(row));
    }

    it('connection refused → 502 in time, no prepay; once WeChat is reachable the next /pay works', async () => {
        const order = await shop.placeOrder(token);
        await failsInTime(order, 502, /could not be reached \(ECONNREFUSED\)/);
        await relay.restore();
        await nextPayWorks(order);
    });

    for (const [fault, status, message] of FAULTS) {
        it(`${fault} → ${status} within ${ANSWER_WITHIN_MS} ms, no prepay, the next /pay works and the order can be paid`, async () => {
            await relay.restore();
            const order = await shop.placeOrder(token);
            await shop.injectFault('unifiedorder', fault, 1, TIMEOUT_MS * 5);
            await failsInTime(order, status, message);
            await nextPayWorks(order);
        });
    }

    it('a forged orderquery reply (wrong signature) claiming the order is paid does not pay it; GET still answers 200', async () => {
        await relay.restore();
        const order = await shop.placeOrder(token);
        await shop.requestPayment(token, order.id);
        for (const fault of ['badsign', 'timeout', 'garbled', 'http500']) {
            await shop.injectFault('orderquery', fault, 1, TIMEOUT_MS * 5);
            const read = await request(`${app.url}/orders/${order.id}`, { headers: bearer(token) });
            assert.equal(read.status, 200, `${fault}: ${read.text}`);
            assert.ok(read.ms < ANSWER_WITHIN_MS, `${fault}: answered in ${read.ms} ms`);
            assert.equal((JSON.parse(read.text) as OrderView).status, 'unpaid', fault);
        }
        const row = await orderById(store, order.id);
        count('wrongOrders', row.status === 'unpaid' ? 0 : 1);
        assert.equal(row.status, 'unpaid');
    });

    it('closeorder failing (HTTP 500, SYSTEMERROR, timeout) → 502/504 in time, the order stays unpaid; then the close works', async () => {
        await relay.restore();
        // WeChat refuses closeorder in the first 5 (simulated) minutes after ordering: 3 s here, counted from before().
        await sleep(Math.max(0, closable.preparedAt + 3200 - Date.now()));
        for (const [fault, status] of [['http500', 502], ['systemerror', 502], ['timeout', 504]] as const) {
            await shop.injectFault('closeorder', fault, 1, TIMEOUT_MS * 5);
            const closing = await request(`${app.url}/orders/${closable.order.id}/close`, { method: 'POST', headers: bearer(token) });
            assert.equal(closing.status, status, `${fault}: ${closing.text}`);
            assert.ok(closing.ms < ANSWER_WITHIN_MS, `${fault}: answered in ${closing.ms} ms`);
            assert.equal((await orderById(store, closable.order.id)).status, 'unpaid', fault);
        }
        const closed = await request(`${app.url}/orders/${closable.order.id}/close`, { method: 'POST', headers: bearer(token) });
        assert.equal(closed.status, 200, closed.text);
        assert.equal((await orderById(store, closable.order.id)).status, 'closed');
    });
});
