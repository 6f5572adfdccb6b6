import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEV_ADMIN_API_KEY } from '../src/config';
import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { NO_ORDER_LIMITS } from '../test/helpers/no-order-limits';
import { count, measure, scenario } from './support/figures';
import { json } from './support/http';
import { eventually, startApp, stopAll, type RunningApp } from './support/processes';
import { Shop, type OrderView } from './support/shop';
import { openStore, retireStore, type Store } from './support/store';

// Refunds while WeChat misbehaves, as `npm start` runs them: the in-process simulator's /secapi
// over TLS with the development certificate. Every order is refunded in full at once while
// refund calls hit SYSTEMERROR, FREQUENCY_LIMITED, BIZERR_NEED_RETRY, HTTP 500 and timeouts,
// and each refund notification arrives 10 times at once. In the end each order has exactly
// one refund (one out_refund_no, however often it was asked), succeeded, applied once.

const ORDERS = 12;
const FAULTS: ReadonlyArray<[fault: string, times: number]> = [['systemerror', 2], ['frequency_limited', 1], ['bizerr_need_retry', 1], ['http500', 1], ['timeout', 2]];
const ADMIN = { authorization: `Bearer ${DEV_ADMIN_API_KEY}` };

const DATABASES = [
    { kind: 'SQLite', create: createSqliteDatabase },
    ...(process.env.TEST_MYSQL_URL ? [{ kind: 'MariaDB', create: () => createMysqlDatabase(process.env.TEST_MYSQL_URL!) }] : []),
];

for (const { kind, create } of DATABASES) {
    describe(`refund faults and duplicate refund notifications (${kind})`, () => {
        let database: TestDatabase;
        let store: Store;
        let app: RunningApp;
        let shop: Shop;
        const orders: OrderView[] = [];

        before(async () => {
            scenario(`refund faults (${kind})`);
            database = await create();
            app = await startApp('app', {
                ...NO_ORDER_LIMITS,
                DATABASE_URL: database.url,
                SIMULATOR_TIME_SCALE: '0.01',
                SIMULATOR_NOTIFY_DUPLICATES: '10',
                WX_HTTP_TIMEOUT_MS: '1000',
                REFUND_JOB_INTERVAL_MS: '300',
                RECONCILE_INTERVAL_MS: '0',
            });
            store = await openStore(database.url);
            shop = new Shop(app.url, app.wechat);
            const { token } = await shop.login(`refunds.${Date.now()}`);
            for (let i = 0; i < ORDERS; i += 1) {
                const order = await shop.placeOrder(token);
                await shop.payInWechat(await shop.requestPayment(token, order.id));
                orders.push(order);
            }
            await eventually('every order paid', async () => {
                const [{ paid }] = await store.all<{ paid: number }>("SELECT COUNT(*) AS paid FROM orders WHERE status = 'paid'");
                return Number(paid) === ORDERS ? true : undefined;
            }, 20_000, 100);
        });

        after(async () => {
            await retireStore(store);
            await stopAll();
            await database?.drop();
        });

        it('refunds every order exactly once, whatever WeChat answered first', async () => {
            for (const [fault, times] of FAULTS) {
                await shop.injectFault('refund', fault, times, 2500);
            }
            const started = Date.now();
            const answers = await Promise.all(orders.map((order) => json<{ status: string }>(`${app.url}/admin/orders/${order.id}/refunds`, 'POST', { refund_fee: order.total_fee }, ADMIN)));
            count('requests', ORDERS);
            const statuses = answers.map(({ reply }) => reply.status);
            // 202 (accepted, or kept for a retry after SYSTEMERROR, a timeout…); 502 for the HTTP 500, the refund kept all the same.
            assert.ok(statuses.every((status) => status === 202 || status === 502), statuses.join(' '));
            measure(`${kind}: refunds answered 502 at first`, statuses.filter((status) => status === 502).length, 'refunds');

            await eventually('every order refunded', async () => {
                const [{ refunded }] = await store.all<{ refunded: number }>("SELECT COUNT(*) AS refunded FROM orders WHERE status = 'refunded'");
                return Number(refunded) === ORDERS ? true : undefined;
            }, 60_000, 200);
            measure(`${kind}: all ${ORDERS} refunds succeeded after`, Date.now() - started, 'ms');

            const refunds = await store.all<{ order_id: number; n: number; fee: number; attempts: number }>(
                "SELECT order_id, COUNT(*) AS n, SUM(refund_fee) AS fee, MAX(attempts) AS attempts FROM refunds WHERE status = 'succeeded' GROUP BY order_id");
            const wrong = orders.filter((order) => {
                const row = refunds.find((one) => Number(one.order_id) === order.id);
                return row === undefined || Number(row.n) !== 1 || Number(row.fee) !== order.total_fee;
            });
            count('wrongOrders', wrong.length);
            assert.deepEqual(wrong, []);
            measure(`${kind}: refund calls made for ${ORDERS} refunds`, refunds.reduce((sum, row) => sum + Number(row.attempts), 0), 'calls');

            const deliveries = await store.all<{ outcome: string; n: number }>('SELECT outcome, COUNT(*) AS n FROM refund_notifications GROUP BY outcome');
            const of = (outcome: string) => Number(deliveries.find((row) => row.outcome === outcome)?.n ?? 0);
            measure(`${kind}: refund notification deliveries`, of('applied') + of('duplicate') + of('rejected'), 'deliveries');
            assert.equal(of('applied'), ORDERS, 'each refund notification applied once');
            assert.equal(of('rejected'), 0);
        });
    });
}
