import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createMysqlDatabase, type TestDatabase } from '../test/helpers/databases';
import { count, measure, scenario } from './support/figures';
import { attempt, bearer, freePort, request } from './support/http';
import { newCredentials, startAppWithWechat, stopAll, type RunningApp } from './support/processes';
import { Shop } from './support/shop';
import { openStore, orderById, retireStore, type Store } from './support/store';

// Another client holds `LOCK TABLES orders WRITE` for 10 s while shoppers keep asking for their
// orders and WeChat delivers a genuine notification. With the default limits, each waiting
// statement gives its connection back after DB_STATEMENT_TIMEOUT_MS (503), other tables keep
// answering, the notification hears FAIL (500) before WeChat's 5 s and lands once the lock is
// gone, and /health says "busy" (up, pool full) rather than "down".

const MYSQL_URL = process.env.TEST_MYSQL_URL;
const LOCK_MS = 10_000;
/** Requests on the locked table at once: more than the pool's 10 connections. */
const WAITING = 15;

interface Timed { readonly status: number | string; readonly ms: number; readonly text: string }

async function timed(url: string, options: Parameters<typeof attempt>[1] = {}): Promise<Timed> {
    const reply = await attempt(url, { timeoutMs: 30_000, ...options });
    return 'error' in reply ? { status: reply.error, ms: reply.ms, text: '' } : { status: reply.status, ms: reply.ms, text: reply.text };
}

describe('a table locked by another client (MariaDB)', { skip: MYSQL_URL ? false : 'TEST_MYSQL_URL is unset: this scenario needs MariaDB (e.g. TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test)' }, () => {
    let database: TestDatabase;
    let store: Store;
    let locker: Store;
    let app: RunningApp;
    let shop: Shop;

    before(async () => {
        scenario('locked orders table (MariaDB)');
        database = await createMysqlDatabase(MYSQL_URL!);
        app = await startAppWithWechat('app', {
            ...newCredentials(),
            DATABASE_URL: database.url,
            DB_AUTO_MIGRATE: 'true',
            // The notification is posted by the test, at the moment it chooses.
            WX_PAY_NOTIFY_URL: `http://127.0.0.1:${await freePort()}/nowhere`,
            RECONCILE_INTERVAL_MS: '0',
        });
        store = await openStore(database.url);
        locker = await openStore(database.url);
        shop = new Shop(app.url, app.wechat);
    });

    after(async () => {
        await stopAll();
        await retireStore(locker);
        await retireStore(store);
        await database?.drop();
    });

    it('keeps other routes answering, answers the notification FAIL within 5 s, says busy not down, and loses nothing', async () => {
        const { token } = await shop.login(`locked.${Date.now()}`);
        const order = await shop.placeOrder(token);
        const { transactionId } = await shop.payInWechat(await shop.requestPayment(token, order.id));
        const genuine = await shop.genuineNotification(order.out_trade_no);

        await locker.run('LOCK TABLES orders WRITE');
        const lockedAt = Date.now();
        const unlocked = new Promise<void>((resolve) => setTimeout(() => void locker.run('UNLOCK TABLES').then(resolve), LOCK_MS));

        const onLocked = Array.from({ length: WAITING }, () => timed(`${app.url}/orders`, { headers: bearer(token) }));
        count('requests', WAITING);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const notify = timed(`${app.url}/orders/pay/notify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: genuine });
        const shops: Timed[] = [];
        const healths: Timed[] = [];
        while (Date.now() - lockedAt < LOCK_MS - 1000) {
            const [shopsReply, healthReply] = await Promise.all([timed(`${app.url}/shops?limit=1`), timed(`${app.url}/health`)]);
            shops.push(shopsReply);
            healths.push(healthReply);
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const [waited, notified] = await Promise.all([Promise.all(onLocked), notify]);
        await unlocked;

        measure('GET /shops, slowest while orders was locked', Math.max(...shops.map((reply) => reply.ms)), 'ms');
        measure('GET /orders on the locked table, slowest 503', Math.max(...waited.map((reply) => reply.ms)), 'ms');
        measure('genuine notification answered FAIL after', notified.ms, 'ms');
        measure('/health "busy" answers while orders was locked', healths.filter((reply) => reply.text.includes('"busy"')).length, `of ${healths.length}`);

        assert.deepEqual([...new Set(waited.map((reply) => reply.status))], [503], 'every request on the locked table answered 503');
        assert.ok(shops.filter((reply) => reply.status !== 200).length <= 1, `GET /shops: ${JSON.stringify(shops.map((reply) => reply.status))}`);
        assert.equal(notified.status, 500, notified.text);
        assert.match(notified.text, /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/);
        assert.ok(notified.ms < 5000, `notification answered after ${notified.ms} ms`);
        assert.ok(healths.every((reply) => reply.text.includes('"ok"') || reply.text.includes('"busy"')), `/health never says down: ${JSON.stringify(healths.map((reply) => reply.text))}`);

        // WeChat delivers again once the lock is gone: the payment lands, once.
        const again = await request(`${app.url}/orders/pay/notify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: genuine });
        assert.equal(again.status, 200, again.text);
        const row = await orderById(store, order.id);
        const paidRight = row?.status === 'paid' && row.transaction_id === transactionId;
        count('wrongOrders', paidRight ? 0 : 1);
        count('lostNotifications', paidRight ? 0 : 1);
        assert.ok(paidRight, JSON.stringify(row));
        assert.equal((await timed(`${app.url}/health`)).status, 200);
    });
});
