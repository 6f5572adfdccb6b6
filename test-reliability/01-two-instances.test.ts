import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { createMysqlDatabase, type TestDatabase } from '../test/helpers/databases';
import { NO_ORDER_LIMITS } from '../test/helpers/no-order-limits';
import { count, scenario } from './support/figures';
import { freePort } from './support/http';
import { HttpRelay } from './support/http-relay';
import { eventually, newCredentials, startApp, startSimulator, stopAll, type RunningApp } from './support/processes';
import { Shop, type NotifyAnswer } from './support/shop';
import { openStore, ordersByIds, retireStore, type Store } from './support/store';

// Two app processes share one MariaDB database and one WeChat (the standalone simulator).
// WeChat's notifications go to a dead port, so the test decides what reaches which instance.

const MYSQL_URL = process.env.TEST_MYSQL_URL;
const PAID_ORDERS = 50;
const DELIVERIES_EACH = 10;
/** Orders in flight at once: 10 × 10 deliveries = 100 concurrent notifications. */
const ORDERS_AT_ONCE = 10;
const LOST_NOTIFICATIONS = 30;

const range = (length: number) => Array.from({ length }, (_, index) => index);

async function inBatches<T>(total: number, size: number, work: (index: number) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < total; start += size) {
        results.push(...await Promise.all(range(Math.min(size, total - start)).map((offset) => work(start + offset))));
    }
    return results;
}

interface ReconcileTotals {
    examined: number;
    paid: number;
    closed: number;
    failed: number;
}

/** The 'reconcile run' reports an instance has logged, summed. */
function reconcileTotals(app: RunningApp): ReconcileTotals {
    const totals = { examined: 0, paid: 0, closed: 0, failed: 0 };
    for (const line of app.process.logs().filter((entry) => entry.msg === 'reconcile run')) {
        for (const key of Object.keys(totals) as Array<keyof ReconcileTotals>) {
            totals[key] += Number(line[key] ?? 0);
        }
    }
    return totals;
}

describe('two instances, one MariaDB database', { skip: MYSQL_URL ? false : 'TEST_MYSQL_URL is unset: this scenario needs MariaDB (e.g. TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test)' }, () => {
    let database: TestDatabase;
    let store: Store;
    let relay: HttpRelay;
    let a: RunningApp;
    let b: RunningApp;
    let shop: Shop;

    before(async () => {
        scenario('two instances, one database (MariaDB)');
        database = await createMysqlDatabase(MYSQL_URL!);
        const credentials = newCredentials();
        // Real time: WeChat's next retry to the dead port is 15 s away, so nothing else arrives.
        const simulator = await startSimulator('simulator', { ...credentials, SIMULATOR_TIME_SCALE: '1' });
        relay = await HttpRelay.open(simulator.url);
        const shared = {
            ...credentials,
            ...NO_ORDER_LIMITS,
            DATABASE_URL: database.url,
            WECHAT_SIMULATOR: 'false',
            DEV_LOGIN: 'false',
            WX_API_BASE_URL: simulator.url,
            WX_PAY_BASE_URL: relay.url,
            WX_PAY_NOTIFY_URL: `http://127.0.0.1:${await freePort()}/nowhere`,
            RECONCILE_INTERVAL_MS: '200',
        };
        a = await startApp('instance A', { ...shared, DB_AUTO_MIGRATE: 'true' });
        b = await startApp('instance B', { ...shared, DB_AUTO_MIGRATE: 'false' });
        store = await openStore(database.url);
        shop = new Shop(a.url, simulator.url);
    });

    after(async () => {
        await stopAll();
        await relay?.close();
        await retireStore(store);
        await database?.drop();
    });

    it(`pays each of ${PAID_ORDERS} orders exactly once when every notification arrives ${DELIVERIES_EACH} times at once, split across both instances`, async () => {
        const instances = [a, b];
        const users = await Promise.all(range(5).map((index) => shop.login(`pair${index}.${Date.now()}`, instances[index % 2]!.url)));

        const paid = await inBatches(PAID_ORDERS, ORDERS_AT_ONCE, async (index) => {
            const user = users[index % users.length]!;
            const order = await shop.placeOrder(user.token, undefined, instances[index % 2]!.url);
            const params = await shop.requestPayment(user.token, order.id, instances[(index + 1) % 2]!.url);
            const { transactionId } = await shop.payInWechat(params);
            const xml = await shop.genuineNotification(order.out_trade_no);
            const answers = await Promise.all(range(DELIVERIES_EACH).map((delivery) => shop.notify(xml, 'text/xml', instances[delivery % 2]!.url)));
            return { order, transactionId, answers };
        });

        const answers: NotifyAnswer[] = paid.flatMap((entry) => entry.answers);
        const rows = await ordersByIds(store, paid.map((entry) => entry.order.id));
        const wrong = paid.filter(({ order, transactionId }) => rows.get(order.id)?.status !== 'paid' || rows.get(order.id)?.transaction_id !== transactionId);
        count('wrongOrders', wrong.length);
        // SUCCESS for an order that did not end paid: WeChat will never deliver that payment again.
        count('lostNotifications', wrong.filter((entry) => entry.answers.some((answer) => answer.returnCode === 'SUCCESS')).length);

        const recorded = await store.all<{ out_trade_no: string; outcome: string; n: number }>(
            'SELECT out_trade_no, outcome, COUNT(*) AS n FROM payment_notifications GROUP BY out_trade_no, outcome');
        const total = recorded.reduce((sum, row) => sum + Number(row.n), 0);
        const paidOutcomes = recorded.filter((row) => row.outcome === 'paid');
        const notSuccess = answers.filter((answer) => answer.status !== 200 || answer.returnCode !== 'SUCCESS');

        assert.deepEqual(wrong.map(({ order }) => ({ id: order.id, row: rows.get(order.id) })), [], 'every order paid, with its own transaction_id');
        assert.deepEqual(notSuccess.slice(0, 5), [], `${notSuccess.length} of ${answers.length} deliveries were not answered 200 SUCCESS`);
        assert.equal(total, PAID_ORDERS * DELIVERIES_EACH, 'every delivery is recorded in payment_notifications');
        assert.equal(paidOutcomes.reduce((sum, row) => sum + Number(row.n), 0), PAID_ORDERS, "exactly one 'paid' outcome per order");
        assert.ok(paidOutcomes.every((row) => Number(row.n) === 1), JSON.stringify(paidOutcomes.filter((row) => Number(row.n) !== 1)));
        assert.deepEqual([...new Set(recorded.map((row) => row.outcome))].sort(), ['duplicate', 'paid']);
    });

    it(`lets the reconcilers of both instances, running at once, work each of ${LOST_NOTIFICATIONS} orders with a lost notification exactly once`, async () => {
        const before = [reconcileTotals(a), reconcileTotals(b)];
        const user = await shop.login(`lost.${Date.now()}`);
        const lost = await inBatches(LOST_NOTIFICATIONS, ORDERS_AT_ONCE, async (index) => {
            const order = await shop.placeOrder(user.token, undefined, [a, b][index % 2]!.url);
            const { transactionId } = await shop.payInWechat(await shop.requestPayment(user.token, order.id));
            return { order, transactionId };
        });
        const ids = lost.map(({ order }) => order.id);
        assert.ok([...(await ordersByIds(store, ids)).values()].every((row) => row.status === 'unpaid'), 'the notifications really were lost');

        // The payments happened two minutes ago: the reconcilers only look at prepays over a minute old.
        await store.run(`UPDATE orders SET prepay_at = DATE_SUB(prepay_at, INTERVAL 2 MINUTE) WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
        const rows = await eventually('every order with a lost notification paid by a reconciler', async () => {
            const current = await ordersByIds(store, ids);
            return [...current.values()].every((row) => row.status !== 'unpaid') ? current : undefined;
        }, 30_000, 200);
        // Runs still going log their report when they finish.
        await sleep(1000);

        const wrong = lost.filter(({ order, transactionId }) => rows.get(order.id)?.status !== 'paid' || rows.get(order.id)?.transaction_id !== transactionId);
        count('wrongOrders', wrong.length);
        count('lostNotifications', wrong.length);
        const after = [reconcileTotals(a), reconcileTotals(b)];
        const worked = after.map((totals, index) => ({
            examined: totals.examined - before[index]!.examined,
            paid: totals.paid - before[index]!.paid,
            failed: totals.failed - before[index]!.failed,
        }));
        const orderqueries = relay.countBy('/pay/orderquery');
        const askedTwice = lost.filter(({ order }) => (orderqueries.get(order.out_trade_no) ?? 0) !== 1)
            .map(({ order }) => `${order.out_trade_no}: ${orderqueries.get(order.out_trade_no) ?? 0}`);
        console.log(`reconciled by instance A: ${worked[0]!.examined}, by instance B: ${worked[1]!.examined}`);

        assert.deepEqual(wrong, [], 'every order paid with the transaction WeChat reports');
        assert.equal(worked[0]!.examined + worked[1]!.examined, LOST_NOTIFICATIONS, `orders examined, summed over both instances: ${JSON.stringify(worked)}`);
        assert.equal(worked[0]!.paid + worked[1]!.paid, LOST_NOTIFICATIONS, JSON.stringify(worked));
        assert.equal(worked[0]!.failed + worked[1]!.failed, 0, JSON.stringify(worked));
        assert.deepEqual(askedTwice, [], 'WeChat was asked (orderquery) exactly once about each order');
    });
});
