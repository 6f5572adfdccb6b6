import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { createMysqlDatabase, type TestDatabase } from '../test/helpers/databases';
import { NO_ORDER_LIMITS } from '../test/helpers/no-order-limits';
import { count, scenario } from './support/figures';
import { eventually, health, newCredentials, startAppWithWechat, stopAll, type RunningApp } from './support/processes';
import { Shop, type Delivery, type OrderView, type RequestPayment } from './support/shop';
import { openStore, ordersByIds, retireStore, type Store } from './support/store';
import { TcpProxy } from './support/tcp-proxy';

// MariaDB disappears (every connection cut, new ones refused) while WeChat's notifications
// arrive. The app must say FAIL with HTTP 500, keep running, report itself unhealthy, and
// once the database is back WeChat's own retries must land: no payment lost.

const MYSQL_URL = process.env.TEST_MYSQL_URL;
const ORDERS = 12;
const OUTAGE_MS = 3000;

describe('the database goes away while notifications arrive (MariaDB)', { skip: MYSQL_URL ? false : 'TEST_MYSQL_URL is unset: this scenario needs MariaDB (e.g. TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test)' }, () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let store: Store;
    let app: RunningApp;
    let shop: Shop;

    before(async () => {
        scenario('database outage (MariaDB)');
        database = await createMysqlDatabase(MYSQL_URL!);
        const direct = new URL(database.url);
        proxy = await TcpProxy.open({ host: direct.hostname, port: Number(direct.port || 3306) });
        const proxied = new URL(database.url);
        proxied.port = String(proxy.port);
        app = await startAppWithWechat('app', {
            ...newCredentials(),
            ...NO_ORDER_LIMITS,
            DATABASE_URL: proxied.toString(),
            DB_AUTO_MIGRATE: 'true',
            // WeChat's retries (15 s, 15 s, 30 s, 3 min, 10 min, …) in milliseconds.
            SIMULATOR_TIME_SCALE: '0.001',
            RECONCILE_INTERVAL_MS: '0',
        });
        store = await openStore(database.url);
        shop = new Shop(app.url, app.wechat);
    });

    after(async () => {
        await stopAll();
        await proxy?.close();
        await retireStore(store);
        await database?.drop();
    });

    it('answers FAIL with HTTP 500 while the database is down, stays up with /health 503, and every order ends paid once it is back', async () => {
        const { token } = await shop.login(`outage.${Date.now()}`);
        const orders: Array<{ order: OrderView; params: RequestPayment }> = [];
        for (let index = 0; index < ORDERS; index += 1) {
            const order = await shop.placeOrder(token);
            orders.push({ order, params: await shop.requestPayment(token, order.id) });
        }
        assert.equal(await health(app), 200);

        // Half the shoppers pay just before the cut (their notifications race it), half during the outage.
        const half = ORDERS / 2;
        const payments = await Promise.all(orders.slice(0, half).map(({ params }) => shop.payInWechat(params)));
        await proxy.cut();
        payments.push(...await Promise.all(orders.slice(half).map(({ params }) => shop.payInWechat(params))));
        const outageStarted = Date.now();

        const probe = await shop.notify(await shop.genuineNotification(orders[ORDERS - 1]!.order.out_trade_no));
        assert.deepEqual([probe.status, probe.returnCode], [500, 'FAIL'], probe.text);
        assert.equal(await eventually('/health reports the outage', async () => ((await health(app)) === 503 ? 503 : undefined), 5000), 503);

        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
        assert.ok(app.process.running, 'the process is still up');
        const duringOutage = await Promise.all(orders.slice(half).map(({ order }) => shop.deliveries(order.out_trade_no)));
        assert.ok(duringOutage.every((records) => !records[0]!.acknowledged), 'nothing is acknowledged while the database is down');
        assert.ok(duringOutage.every((records) => records[0]!.attempts.some((attempt) => attempt.httpStatus === 500)), 'each delivery was answered 500');
        assert.equal(await health(app), 503);

        await proxy.restore();
        const deliveries = await eventually('every notification acknowledged after the database is back', async () => {
            const current = await Promise.all(orders.map(({ order }) => shop.deliveries(order.out_trade_no)));
            return current.every((records) => records.some((record) => record.acknowledged)) ? current : undefined;
        }, 40_000, 250);
        assert.equal(await eventually('/health recovers', async () => ((await health(app)) === 200 ? 200 : undefined), 5000), 200);

        const rows = await ordersByIds(store, orders.map(({ order }) => order.id));
        const paidRight = orders.filter(({ order }, index) => rows.get(order.id)?.status === 'paid' && rows.get(order.id)?.transaction_id === payments[index]!.transactionId);
        const acknowledged = deliveries.filter((records: Delivery[]) => records.some((record) => record.acknowledged)).length;
        count('wrongOrders', ORDERS - paidRight.length);
        count('lostNotifications', Math.max(0, acknowledged - paidRight.length));
        // A delivery cut off by the outage after paying the order keeps the outcome 'received'; its retry is a 'duplicate'.
        const paidTwice = await store.all("SELECT out_trade_no, COUNT(*) AS n FROM payment_notifications WHERE outcome = 'paid' GROUP BY out_trade_no HAVING COUNT(*) > 1");

        assert.ok(app.process.running, 'the process stayed up throughout');
        assert.equal(acknowledged, ORDERS, 'WeChat saw every notification acknowledged');
        assert.equal(paidRight.length, ORDERS, 'every order paid, with its own transaction_id');
        assert.deepEqual(paidTwice, [], "no order has two 'paid' outcomes");
    });
});
