// Throughput of the hot paths over real HTTP on this machine: `npm run bench`.
// Prints figures; asserts nothing. Set TEST_MYSQL_URL to include MySQL/MariaDB.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

import axios from 'axios';

import { startTestApp, type TestApp } from '../test/helpers/app';
import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { NO_ORDER_LIMITS } from '../test/helpers/no-order-limits';
import { placeOrder, payInWechat, requestPaymentFor, waitForDelivery } from '../test/helpers/shopper';

const CONCURRENCY = 10;
const ORDERS = 100;

interface Figures { readonly name: string; readonly requests: number; readonly perSecond: number; readonly p50: number; readonly p99: number; readonly failed: number }

async function load(name: string, requests: number, send: (index: number) => Promise<number>): Promise<Figures> {
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests) {
            const index = next++;
            const begun = performance.now();
            const status = await send(index);
            latencies.push(performance.now() - begun);
            if (status >= 300) {
                failed += 1;
            }
        }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2));
    return { name, requests, perSecond: Math.round(requests / seconds), p50: at(0.5), p99: at(0.99), failed };
}

async function bench(database: TestDatabase): Promise<Figures[]> {
    const app: TestApp = await startTestApp({ database, env: { LOG_LEVEL: 'warn', WX_PAY_NOTIFY_URL: 'http://127.0.0.1:9/nowhere', ...NO_ORDER_LIMITS } });
    const client = axios.create({ baseURL: app.server.info.uri, httpAgent: new http.Agent({ keepAlive: true }), validateStatus: () => true });
    try {
        const { token } = await app.login();
        const auth = { Authorization: `Bearer ${token}` };
        const notifications: string[] = [];
        const orderIds: number[] = [];
        for (let index = 0; index < ORDERS; index += 1) {
            const order = await placeOrder(app, token);
            orderIds.push(order.id);
            await payInWechat(app, await requestPaymentFor(app, token, order.id));
            notifications.push((await waitForDelivery(app, order.out_trade_no, (d) => d.attempts.length > 0)).xml);
        }
        const xml = { 'Content-Type': 'text/xml' };
        return [
            await load(`${database.kind}: GET /shops`, 2000, async () => (await client.get('/shops')).status),
            await load(`${database.kind}: GET / (JWT verify + user lookup)`, 2000, async () => (await client.get('/', { headers: auth })).status),
            await load(`${database.kind}: POST /orders`, 500, async () => (await client.post('/orders', { goodsList: [{ goods_id: 1, count: 1 }] }, { headers: auth })).status),
            await load(`${database.kind}: POST /orders/pay/notify (first delivery)`, ORDERS, async (i) => (await client.post('/orders/pay/notify', notifications[i], { headers: xml })).status),
            await load(`${database.kind}: POST /orders/pay/notify (duplicates)`, 1000, async (i) => (await client.post('/orders/pay/notify', notifications[i % ORDERS], { headers: xml })).status),
        ];
    }
    finally {
        await app.stop();
    }
}

async function main(): Promise<void> {
    const figures: Figures[] = [];
    const sqlite = await createSqliteDatabase();
    figures.push(...await bench(sqlite));
    await sqlite.drop();
    if (process.env.TEST_MYSQL_URL) {
        const mysql = await createMysqlDatabase(process.env.TEST_MYSQL_URL);
        figures.push(...await bench(mysql));
        await mysql.drop();
    }
    process.stdout.write(`\n${CONCURRENCY} concurrent keep-alive connections, Node ${process.version}\n`);
    console.table(figures.map((f) => ({ scenario: f.name, requests: f.requests, 'req/s': f.perSecond, 'p50 ms': f.p50, 'p99 ms': f.p99, 'non-2xx': f.failed })));
}

void main();
