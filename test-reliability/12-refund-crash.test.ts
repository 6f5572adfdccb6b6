import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { NO_ORDER_LIMITS } from '../test/helpers/no-order-limits';
import { count, measure, scenario, secret } from './support/figures';
import { freePort, json } from './support/http';
import { eventually, newCredentials, secapiSettings, startApp, startSimulator, stopAll, type RunningApp, type RunningSimulator } from './support/processes';
import { Shop, type OrderView } from './support/shop';
import { openStore, retireStore, type Row, type Store } from './support/store';
import { TcpProxy } from './support/tcp-proxy';

// A refund whose request dies between storing the refund and recording WeChat's answer. The app
// runs as `npm start` runs it, WeChat is the standalone simulator (it outlives the app), refunds
// go over its TLS listener with the development merchant certificate, and every refund
// notification goes to a port nothing listens on: only the app's own refund job can settle
// what was left half-done. Four cases on each database, two orders per crash:
//   kill -9 of the app, or the database gone (MariaDB: every connection cut by a TCP proxy;
//   SQLite: another connection holds the write lock past the app's busy timeout), while
//   - WeChat never got the refund call (the simulator's `dropped`: held, then closed undone), and
//   - WeChat took the refund but its answer never arrived (`reply_lost`).
// Each order must end with exactly one refund, succeeded, the same out_refund_no at WeChat and
// here, the order refunded in full and no longer shippable, within SETTLED_WITHIN_MS of the crash.

const WX_HTTP_TIMEOUT_MS = 2000;
/** RefundService's claim: a refundquery and a refund call, each within WX_HTTP_TIMEOUT_MS, and 5 s. */
const CLAIM_MS = 2 * WX_HTTP_TIMEOUT_MS + 5000;
const JOB_INTERVAL_MS = 250;
const QUERY_AFTER_MS = 1000;
/** The claim, then a job run, refundquery, a refund call, WeChat settling it (0.6 s here) and the next refundquery, with room for a loaded machine. */
const SETTLED_WITHIN_MS = CLAIM_MS + 15_000;
/** Longer than the app waits: the app gives up (or dies) first. */
const HELD_MS = 60_000;

/** How the database goes away and comes back. */
interface Outage {
    readonly name: string;
    begin(): Promise<void>;
    end(): Promise<void>;
}

interface Setting {
    readonly kind: string;
    readonly database: TestDatabase;
    /** What the app is given as DATABASE_URL (through the proxy, on MariaDB). */
    readonly appUrl: string;
    readonly outage: (store: Store) => Outage;
    close(): Promise<void>;
}

async function sqlite(): Promise<Setting> {
    const database = await createSqliteDatabase();
    return {
        kind: 'SQLite',
        database,
        appUrl: database.url,
        // WAL lets the app read on; every write waits out its 5 s busy timeout and fails.
        outage: (store) => ({ name: 'the write lock held elsewhere', begin: () => store.run('BEGIN EXCLUSIVE'), end: () => store.run('COMMIT') }),
        close: () => database.drop(),
    };
}

async function mariadb(serverUrl: string): Promise<Setting> {
    const database = await createMysqlDatabase(serverUrl);
    const direct = new URL(database.url);
    const proxy = await TcpProxy.open({ host: direct.hostname, port: Number(direct.port || 3306) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    return {
        kind: 'MariaDB',
        database,
        appUrl: proxied.toString(),
        outage: () => ({ name: 'every connection cut', begin: () => proxy.cut(), end: () => proxy.restore() }),
        close: async () => {
            await proxy.close();
            await database.drop();
        },
    };
}

const SETTINGS = [sqlite, ...(process.env.TEST_MYSQL_URL ? [() => mariadb(process.env.TEST_MYSQL_URL!)] : [])];

interface RefundRow extends Row {
    id: number;
    out_refund_no: string;
    status: string;
    refund_id: string | null;
    refund_fee: number;
    attempts: number;
    failure_code: string | null;
}

interface WechatRefund {
    readonly out_refund_no: string;
    readonly refund_id: string;
    readonly refund_fee: number;
    readonly refund_status: string;
}

for (const settingFor of SETTINGS) {
    describe('a refund whose request dies before WeChat\'s answer is recorded', () => {
        let setting: Setting;
        let store: Store;
        let simulator: RunningSimulator;
        let app: RunningApp;
        let appEnv: Record<string, string>;
        let shop: Shop;
        let admin: { authorization: string };
        const paid: OrderView[] = [];

        before(async () => {
            setting = await settingFor();
            scenario(`refund crash (${setting.kind})`);
            const credentials = newCredentials();
            const adminKey = randomBytes(32).toString('base64url');
            secret('ADMIN_API_KEY', adminKey);
            admin = { authorization: `Bearer ${adminKey}` };
            const nowhere = `http://127.0.0.1:${await freePort()}/orders/refund/notify`;
            // A refund settles a (scaled) minute after WeChat accepts it: 0.6 s here.
            simulator = await startSimulator('WeChat', { ...credentials, SIMULATOR_TIME_SCALE: '0.01', WX_PAY_REFUND_NOTIFY_URL: nowhere });
            appEnv = {
                ...credentials,
                ...NO_ORDER_LIMITS,
                ...secapiSettings(simulator, credentials.WX_MCHID),
                ADMIN_API_KEY: adminKey,
                DATABASE_URL: setting.appUrl,
                DB_AUTO_MIGRATE: 'true',
                WECHAT_SIMULATOR: 'false',
                DEV_LOGIN: 'false',
                WX_API_BASE_URL: simulator.url,
                WX_HTTP_TIMEOUT_MS: String(WX_HTTP_TIMEOUT_MS),
                WX_PAY_REFUND_NOTIFY_URL: nowhere,
                REFUND_JOB_INTERVAL_MS: String(JOB_INTERVAL_MS),
                REFUND_QUERY_AFTER_MS: String(QUERY_AFTER_MS),
                REFUND_QUERY_THROTTLE_MS: '500',
                RECONCILE_INTERVAL_MS: '0',
            };
            app = await startApp('app', appEnv);
            store = await openStore(setting.database.url);
            shop = new Shop(app.url, simulator.url);
            const { token } = await shop.login(`refund.crash.${Date.now()}`);
            for (let i = 0; i < 4; i += 1) {
                const order = await shop.placeOrder(token);
                await shop.payInWechat(await shop.requestPayment(token, order.id));
                paid.push(order);
            }
            await eventually('every order paid', async () => {
                const rows = await store.all<{ n: number }>(`SELECT COUNT(*) AS n FROM orders WHERE status = 'paid' AND id IN (${paid.map((order) => order.id).join(',')})`);
                return Number(rows[0]!.n) === paid.length ? true : undefined;
            }, 20_000, 100);
        });

        after(async () => {
            await stopAll();
            await retireStore(store);
            await setting?.close();
        });

        const refundsOf = (orderId: number) => store.all<RefundRow>('SELECT id, out_refund_no, status, refund_id, refund_fee, attempts, failure_code FROM refunds WHERE order_id = ?', [orderId]);
        const atWechat = async (order: OrderView) => (await json<WechatRefund[]>(`${simulator.url}/simulator/refunds?out_trade_no=${order.out_trade_no}`, 'GET')).data;
        const fault = (name: 'dropped' | 'reply_lost') => shop.injectFault('refund', name, 1, HELD_MS);
        /** POST /admin/orders/{id}/refunds, not awaited: its answer (or the transport error of a killed app). */
        const startRefund = (order: OrderView) => json(`${app.url}/admin/orders/${order.id}/refunds`, 'POST', { refund_fee: order.total_fee }, admin)
            .then(({ reply }) => reply.status, (error: { code?: string }) => error.code ?? 'error');

        /**
         * Two refunds caught mid-call: one whose answer WeChat keeps after taking it (seen at
         * WeChat first, so it took the only fault queued), then one whose call WeChat never
         * gets (its attempt counted: the call is on its way). Both within WX_HTTP_TIMEOUT_MS,
         * so neither answer can be recorded before the crash.
         */
        async function twoRefundsInFlight(taken: OrderView, neverSent: OrderView): Promise<Array<Promise<number | string>>> {
            await fault('reply_lost');
            const first = startRefund(taken);
            await eventually('WeChat took the first refund', async () => ((await atWechat(taken)).length === 1 ? true : undefined), 5000, 10);
            await fault('dropped');
            const second = startRefund(neverSent);
            await eventually('the second refund asked of WeChat', async () => ((await refundsOf(neverSent.id))[0]?.attempts === 1 ? true : undefined), 5000, 10);
            return [first, second];
        }

        /** The crash hit the window: each refund is stored, asked of WeChat, and no answer of WeChat's (nor a retry time) recorded. */
        async function assertStranded(orders: readonly OrderView[]): Promise<void> {
            for (const order of orders) {
                const rows = await refundsOf(order.id);
                assert.equal(rows.length, 1);
                assert.deepEqual([rows[0]!.status, rows[0]!.refund_id, rows[0]!.failure_code, Number(rows[0]!.attempts)], ['processing', null, null, 1], `order ${order.id}`);
            }
        }

        /** Each order refunded once, in full, the same refund at WeChat and here; the time from `crashedAt` until it was. */
        async function settledAfter(order: OrderView, crashedAt: number): Promise<number> {
            await eventually(`order ${order.id} refunded`, async () => {
                const rows = await store.all<{ status: string }>('SELECT status FROM orders WHERE id = ?', [order.id]);
                return rows[0]!.status === 'refunded' ? true : undefined;
            }, SETTLED_WITHIN_MS + 10_000, 50);
            const settledMs = Date.now() - crashedAt;
            const ours = await refundsOf(order.id);
            const wechat = await atWechat(order);
            const right = ours.length === 1 && wechat.length === 1 && ours[0]!.status === 'succeeded' && Number(ours[0]!.refund_fee) === order.total_fee
                && wechat[0]!.refund_status === 'SUCCESS' && wechat[0]!.out_refund_no === ours[0]!.out_refund_no && wechat[0]!.refund_id === ours[0]!.refund_id;
            count('wrongOrders', right ? 0 : 1);
            assert.ok(right, JSON.stringify({ ours, wechat }));
            const shipped = await json(`${app.url}/admin/orders/${order.id}/shipments`, 'POST', { logistics_type: 'express', express_company: 'YTO', tracking_no: 'YT8759710021515', item_desc: 'refunded goods' }, admin);
            assert.equal(shipped.reply.status, 409, 'a refunded order does not ship');
            assert.ok(settledMs <= SETTLED_WITHIN_MS, `settled ${settledMs} ms after the crash (bound ${SETTLED_WITHIN_MS} ms)`);
            return settledMs;
        }

        it('kill -9 mid-refund: after a restart, both refunds end succeeded once, whether or not WeChat had taken them', async () => {
            const [taken, neverSent] = [paid[0]!, paid[1]!];
            const answers = await twoRefundsInFlight(taken, neverSent);
            app.process.signal('SIGKILL');
            const crashedAt = Date.now();
            await app.process.exited;
            count('faults');
            assert.deepEqual((await Promise.all(answers)).map((answer) => typeof answer), ['string', 'string'], 'neither request was answered');
            await assertStranded([taken, neverSent]);

            app = await startApp('app after kill -9', appEnv, { port: app.port });
            const [takenMs, neverSentMs] = await Promise.all([settledAfter(taken, crashedAt), settledAfter(neverSent, crashedAt)]);
            measure(`${setting.kind}: kill -9 after WeChat took the refund → succeeded`, takenMs, 'ms');
            measure(`${setting.kind}: kill -9 before WeChat got the refund → succeeded`, neverSentMs, 'ms');
        });

        it('the database gone mid-refund: once it is back, both refunds end succeeded once, whether or not WeChat had taken them', async () => {
            const [taken, neverSent] = [paid[2]!, paid[3]!];
            const outage = setting.outage(store);
            const answers = await twoRefundsInFlight(taken, neverSent);
            await outage.begin();
            const crashedAt = Date.now();
            count('faults');
            // The app gives up on WeChat, then cannot record that either: the merchant hears an error.
            const statuses = await Promise.all(answers);
            assert.ok(statuses.every((status) => typeof status === 'number' && status >= 500), `${outage.name}: ${statuses.join(' ')}`);
            await assertStranded([taken, neverSent]);
            await outage.end();
            measure(`${setting.kind}: database outage (${outage.name}) lasted`, Date.now() - crashedAt, 'ms');

            const [takenMs, neverSentMs] = await Promise.all([settledAfter(taken, crashedAt), settledAfter(neverSent, crashedAt)]);
            measure(`${setting.kind}: outage after WeChat took the refund → succeeded`, takenMs, 'ms');
            measure(`${setting.kind}: outage before WeChat got the refund → succeeded`, neverSentMs, 'ms');
            assert.ok(app.process.running, 'the app stayed up');
        });

        // The other rows stored before WeChat is asked: an order's pay claim (unifiedorder) and a
        // shipment (upload_shipping_info). Neither needs a promise of its own: the claim lapses
        // by time, and a shipment is stored due with a claim that lapses too.
        it('kill -9 while WeChat holds its answers to a pay claim and a shipment upload: after a restart the order pays and the shipment is uploaded', async () => {
            const { token } = await shop.login(`refund.crash.claims.${Date.now()}`);
            const unpaid = await shop.placeOrder(token);
            const toShip = await shop.placeOrder(token);
            const { transactionId } = await shop.payInWechat(await shop.requestPayment(token, toShip.id));
            await eventually('the order to ship paid', async () => ((await store.all<{ status: string }>('SELECT status FROM orders WHERE id = ?', [toShip.id]))[0]!.status === 'paid' ? true : undefined), 20_000, 50);

            await shop.injectFault('upload_shipping_info', 'reply_lost', 1, HELD_MS);
            const shipped = await json(`${app.url}/admin/orders/${toShip.id}/shipments`, 'POST', { logistics_type: 'express', express_company: 'YTO', tracking_no: 'YT8759710021515', item_desc: 'goods' }, admin);
            assert.equal(shipped.reply.status, 201, shipped.reply.text);
            const uploadsAtWechat = async () => (await json<{ uploads?: number }>(`${simulator.url}/simulator/shipping/${transactionId}`, 'GET')).data?.uploads ?? 0;
            await eventually('WeChat took the upload', async () => ((await uploadsAtWechat()) === 1 ? true : undefined), 5000, 10);

            await shop.injectFault('unifiedorder', 'reply_lost', 1, HELD_MS);
            const tap = shop.startPayment(token, unpaid.id).then((reply) => reply.status, (error: { code?: string }) => error.code ?? 'error');
            await eventually('the pay claim taken', async () => ((await store.all<{ claimed: unknown }>('SELECT pay_claimed_until AS claimed FROM orders WHERE id = ?', [unpaid.id]))[0]!.claimed ? true : undefined), 5000, 10);
            app.process.signal('SIGKILL');
            const crashedAt = Date.now();
            await app.process.exited;
            count('faults');
            assert.equal(typeof await tap, 'string', 'the tap was never answered');
            const [shipment] = await store.all<{ upload_state: string }>('SELECT upload_state FROM shipments WHERE order_id = ?', [toShip.id]);
            assert.equal(shipment!.upload_state, 'pending', "WeChat's answer was never recorded");

            app = await startApp('app after kill -9 (claims)', appEnv, { port: app.port });
            await eventually('a tap pays once the dead claim lapsed', async () => ((await shop.startPayment(token, unpaid.id)).status === 200 ? true : undefined), 20_000, 250);
            measure(`${setting.kind}: kill -9 holding a pay claim → next tap gets a prepay`, Date.now() - crashedAt, 'ms');
            await shop.payInWechat(await shop.requestPayment(token, unpaid.id));
            await eventually('the order paid', async () => ((await store.all<{ status: string }>('SELECT status FROM orders WHERE id = ?', [unpaid.id]))[0]!.status === 'paid' ? true : undefined), 20_000, 50);

            await eventually('the shipment uploaded', async () => ((await store.all<{ upload_state: string }>('SELECT upload_state FROM shipments WHERE order_id = ?', [toShip.id]))[0]!.upload_state === 'uploaded' ? true : undefined), 30_000, 100);
            measure(`${setting.kind}: kill -9 mid-upload → shipment uploaded`, Date.now() - crashedAt, 'ms');
            // Uploaded again after the lost answer: WeChat counts that as the shipment's one re-upload.
            measure(`${setting.kind}: uploads WeChat counted for that shipment`, await uploadsAtWechat(), 'uploads');
        });
    });
}
