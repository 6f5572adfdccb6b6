import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';

import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { NO_ORDER_LIMITS } from '../test/helpers/no-order-limits';
import { count, scenario } from './support/figures';
import { attempt, bearer, connectionRefused, freePort, type Reply } from './support/http';
import { eventually, newCredentials, startAppWithWechat, stopAll, type RunningApp } from './support/processes';
import { answerOf, BASKET, Shop } from './support/shop';
import { openStore, ordersByIds, registerSessionKeys, type Store } from './support/store';

// SIGTERM while requests are in flight. The database is slowed by a write lock the test holds
// (on the SQLite file; on MariaDB, LOCK TABLES), so notifications and new orders are still
// waiting on it when the signal comes. The process must stop taking connections at once, let
// what is in flight finish (or, past SHUTDOWN_TIMEOUT_MS, cut it off so that WeChat delivers
// again), and exit 0 in bounded time.

const NOTIFICATIONS = 10;
const ORDERS = 5;
/** What the exit may take beyond SHUTDOWN_TIMEOUT_MS: closing the database, the process's own exit. */
const EXIT_BOUND_MS = 3000;
/**
 * The same with the database stuck. On SQLite a statement already waiting for the lock keeps
 * a libuv thread until its busy timeout (5 s, src/db/sequelize.ts) ends, and no process can
 * exit before its threads do; MariaDB's waiting queries can simply be abandoned.
 */
const STUCK_EXIT_BOUND_MS: Record<TestDatabase['kind'], number> = { sqlite: 5000 + 1500, mysql: EXIT_BOUND_MS };

interface Scene {
    readonly app: RunningApp;
    readonly store: Store;
    readonly token: string;
    readonly paid: ReadonlyArray<{ id: number; xml: string; transactionId: string }>;
}

/** An app with `NOTIFICATIONS` orders paid at WeChat whose notifications have not arrived yet. */
async function scene(database: TestDatabase, shutdownTimeoutMs: number): Promise<Scene> {
    const app = await startAppWithWechat('app', {
        ...newCredentials(),
        ...NO_ORDER_LIMITS,
        DATABASE_URL: database.url,
        WX_PAY_NOTIFY_URL: `http://127.0.0.1:${await freePort()}/nowhere`,
        RECONCILE_INTERVAL_MS: '0',
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
    const store = await openStore(database.url);
    try {
        const shop = new Shop(app.url, app.wechat);
        const { token } = await shop.login(`shutdown.${Date.now()}`);
        const paid = [];
        for (let index = 0; index < NOTIFICATIONS; index += 1) {
            const order = await shop.placeOrder(token);
            const { transactionId } = await shop.payInWechat(await shop.requestPayment(token, order.id));
            paid.push({ id: order.id, xml: await shop.genuineNotification(order.out_trade_no), transactionId });
        }
        return { app, store, token, paid };
    }
    catch (error) {
        // The caller never sees this store to close it: an open connection would keep the file's process alive.
        await store.close();
        throw error;
    }
}

/** Holds every write the app would make until the returned release is called. */
async function lockWrites(store: Store, kind: TestDatabase['kind']): Promise<() => Promise<void>> {
    if (kind === 'sqlite') {
        await store.run('BEGIN IMMEDIATE');
        return () => store.run('COMMIT');
    }
    await store.run('LOCK TABLES orders WRITE, order_goods WRITE, payment_notifications WRITE');
    return () => store.run('UNLOCK TABLES');
}

const DATABASES = [
    { name: 'SQLite', create: createSqliteDatabase },
    ...(process.env.TEST_MYSQL_URL ? [{ name: 'MariaDB', create: () => createMysqlDatabase(process.env.TEST_MYSQL_URL!) }] : []),
];

/** Notifications and new orders, all stuck behind the test's write lock; settled later. */
function inFlight({ app, token, paid }: Scene) {
    const settled: Array<Reply | { error: string }> = [];
    const track = <T extends Reply | { error: string }>(promise: Promise<T>) => promise.then((result) => {
        settled.push(result);
        return result;
    });
    const notifications = paid.map(({ xml }) => track(attempt(`${app.url}/orders/pay/notify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml })));
    const orders = Array.from({ length: ORDERS }, () => track(attempt(`${app.url}/orders`, {
        method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ goodsList: BASKET }),
    })));
    return { notifications, orders, settled };
}

describe('graceful shutdown', () => {
    const databases: TestDatabase[] = [];
    const stores: Store[] = [];

    after(async () => {
        await stopAll();
        for (const store of stores) {
            await registerSessionKeys(store).catch(() => 0);
            await store.close();
        }
        for (const database of databases) {
            await database.drop();
        }
    });

    for (const { name, create } of DATABASES) {
        it(`SIGTERM with requests in flight (${name}): new connections refused at once, every in-flight notification and order finishes, exit 0 in time`, async () => {
            scenario(`graceful shutdown (${name})`);
            const shutdownTimeoutMs = 5000;
            const database = await create();
            databases.push(database);
            const current = await scene(database, shutdownTimeoutMs);
            const { app, store, paid } = current;
            stores.push(store);

            const release = await lockWrites(store, database.kind);
            const flight = inFlight(current);
            await sleep(500);
            assert.equal(flight.settled.length, 0, 'the requests are waiting on the database');

            const signalled = Date.now();
            app.process.signal('SIGTERM');
            count('faults');
            await eventually('new connections refused', async () => ((await connectionRefused(app.port, 500)) ? true : undefined), 2000, 50);
            const refusedAfterMs = Date.now() - signalled;
            assert.equal(flight.settled.length, 0, 'still in flight when new connections are already refused');

            await sleep(1000);
            await release();
            const answers = await Promise.all(flight.notifications);
            const created = await Promise.all(flight.orders);
            const exit = await app.process.exited;
            const exitedAfterMs = Date.now() - signalled;

            const rows = await ordersByIds(store, paid.map(({ id }) => id));
            const paidRight = paid.filter(({ id, transactionId }) => rows.get(id)?.status === 'paid' && rows.get(id)?.transaction_id === transactionId).length;
            const acknowledged = (await Promise.all(answers.map(async (answer) => ('error' in answer ? undefined : (await answerOf(answer)).returnCode))))
                .filter((code) => code === 'SUCCESS').length;
            count('wrongOrders', NOTIFICATIONS - paidRight);
            count('lostNotifications', Math.max(0, acknowledged - paidRight));
            console.log(`${name}: new connections refused ${refusedAfterMs} ms after SIGTERM; exit ${JSON.stringify(exit)} after ${exitedAfterMs} ms`);

            assert.deepEqual(answers.map((answer) => ('error' in answer ? answer.error : answer.status)), Array(NOTIFICATIONS).fill(200));
            assert.equal(acknowledged, NOTIFICATIONS, 'every in-flight notification acknowledged');
            assert.deepEqual(created.map((reply) => ('error' in reply ? reply.error : reply.status)), Array(ORDERS).fill(201));
            assert.equal(paidRight, NOTIFICATIONS, 'every notified order paid');
            assert.deepEqual(exit, { code: 0, signal: null });
            assert.ok(exitedAfterMs < shutdownTimeoutMs + EXIT_BOUND_MS, `exited ${exitedAfterMs} ms after SIGTERM`);
        });

        it(`SIGTERM while the database stays stuck past SHUTDOWN_TIMEOUT_MS (${name}): in-flight requests are cut (WeChat will retry), exit 0 within SHUTDOWN_TIMEOUT_MS + a bound`, async () => {
            const shutdownTimeoutMs = 1000;
            const database = await create();
            databases.push(database);
            const current = await scene(database, shutdownTimeoutMs);
            const { app, store, paid } = current;
            stores.push(store);

            const unlock = await lockWrites(store, database.kind);
            const flight = inFlight(current);
            await sleep(500);
            const signalled = Date.now();
            app.process.signal('SIGTERM');
            count('faults');
            // The lock is held well past the shutdown timeout (and released in any case, so nothing waits forever).
            const bound = shutdownTimeoutMs + STUCK_EXIT_BOUND_MS[database.kind];
            const release = sleep(bound + 2000).then(unlock);
            const exit = await Promise.race([app.process.exited, sleep(bound + 1000).then(() => undefined)]);
            const exitedAfterMs = Date.now() - signalled;
            await release;
            const answers = await Promise.all(flight.notifications);
            const finalExit = exit ?? await Promise.race([app.process.exited, sleep(15_000).then(() => undefined)]);
            const finallyAfterMs = Date.now() - signalled;

            const rows = await ordersByIds(store, paid.map(({ id }) => id));
            const acknowledgedButUnpaid = (await Promise.all(answers.map(async (answer, index) => {
                const acknowledged = !('error' in answer) && (await answerOf(answer)).returnCode === 'SUCCESS';
                const row = rows.get(paid[index]!.id);
                return acknowledged && (row?.status !== 'paid' || row.transaction_id !== paid[index]!.transactionId);
            }))).filter(Boolean).length;
            count('lostNotifications', acknowledgedButUnpaid);
            console.log(`stuck database (${name}): ${exit ? `exit ${JSON.stringify(exit)} ${exitedAfterMs} ms` : `still running ${exitedAfterMs} ms, exit ${JSON.stringify(finalExit)} ${finallyAfterMs} ms (${bound + 2000} ms after SIGTERM the lock was released)`} after SIGTERM; answers ${JSON.stringify(answers.map((answer) => ('error' in answer ? answer.error : answer.status)))}`);

            assert.equal(acknowledgedButUnpaid, 0, 'no notification acknowledged without its order paid');
            assert.ok(exit !== undefined, `still running ${exitedAfterMs} ms after SIGTERM (SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs}, bound ${bound} ms)`);
            assert.deepEqual(exit, { code: 0, signal: null });
            assert.ok(exitedAfterMs < bound, `exited ${exitedAfterMs} ms after SIGTERM, more than ${bound}`);
        });
    }

    it('many concurrent reads and writes at SIGTERM: each completes, or never started (no order is created without its 201)', async () => {
        const database = await createSqliteDatabase();
        databases.push(database);
        const app = await startAppWithWechat('busy app', { ...newCredentials(), ...NO_ORDER_LIMITS, DATABASE_URL: database.url, RECONCILE_INTERVAL_MS: '0', SHUTDOWN_TIMEOUT_MS: '5000' });
        const store = await openStore(database.url);
        stores.push(store);
        const shop = new Shop(app.url, app.wechat);
        const { token } = await shop.login(`busy.${Date.now()}`);

        const outcomes: string[] = [];
        const deadline = Date.now() + 4000;
        const worker = async (index: number) => {
            while (Date.now() < deadline) {
                const reply = index % 2 === 0
                    ? await attempt(`${app.url}/shops/1/goods`)
                    : await attempt(`${app.url}/orders`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ goodsList: BASKET }) });
                outcomes.push(`${index % 2 === 0 ? 'GET' : 'POST'} ${'error' in reply ? reply.error : reply.status}`);
                if ('error' in reply) {
                    return;
                }
            }
        };
        const workers = Array.from({ length: 20 }, (_, index) => worker(index));
        await sleep(700);
        const signalled = Date.now();
        app.process.signal('SIGTERM');
        count('faults');
        const exit = await app.process.exited;
        const exitedAfterMs = Date.now() - signalled;
        await Promise.all(workers);

        const tally = outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }), {});
        const [{ n: ordersInDatabase }] = await store.all<{ n: number }>('SELECT COUNT(*) AS n FROM orders') as [{ n: number }];
        console.log(`busy shutdown: ${JSON.stringify(tally)}, ${ordersInDatabase} orders in the database, exit after ${exitedAfterMs} ms`);
        assert.deepEqual(exit, { code: 0, signal: null });
        assert.ok(exitedAfterMs < 5000 + EXIT_BOUND_MS);
        assert.ok((tally['GET 200'] ?? 0) + (tally['POST 201'] ?? 0) > 20, 'traffic was flowing');
        // A connection refused or reset before its request was read never started; a 5xx, or an order without its 201, was cut half-way.
        assert.deepEqual(Object.keys(tally).filter((outcome) => !/ (200|201|ECONNREFUSED|ECONNRESET)$/.test(outcome)), []);
        assert.equal(Number(ordersInDatabase), tally['POST 201'] ?? 0, 'every order created was answered 201');
        assert.equal(await connectionRefused(app.port), true, 'nothing listens any more');
    });
});
