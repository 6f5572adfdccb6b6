import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import mysql from 'mysql2/promise';

import type { OrderFilter } from '../../src/services/console/order-search';
import { addBeijingDays, beijingDayOf } from '../../src/wechat/beijing-day';
import { startTestApp, type TestApp } from '../helpers/app';
import { createMysqlDatabase } from '../helpers/databases';

// The console's order list must stay fast at a million orders: on MariaDB, with enough orders
// that the optimizer prefers an index when there is one, EXPLAIN shows each filter read through
// an index (never a full scan of orders), and each page answers in milliseconds.

const ORDERS = 200_000;
const USERS = 5_000;
const PAGE = 51;

const mysqlUrl = process.env.TEST_MYSQL_URL;

describe('the order list on MariaDB reads through indexes', { skip: mysqlUrl ? false : 'needs TEST_MYSQL_URL (MariaDB): EXPLAIN is MariaDB\'s' }, () => {
    let app: TestApp;
    let connection: mysql.Connection;

    before(async () => {
        app = await startTestApp({ database: await createMysqlDatabase(mysqlUrl!), listen: false });
        const url = new URL(app.database.url);
        connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || 'root', password: decodeURIComponent(url.password), database: url.pathname.slice(1) });
        // A year of orders, one every ~2.6 minutes: 1 % paid and waiting to ship, most completed.
        await connection.query(`INSERT INTO users (open_id, created_at, updated_at) SELECT CONCAT('seed-openid-', seq), NOW(), NOW() FROM seq_1_to_${USERS}`);
        await connection.query(`INSERT INTO orders (user_id, out_trade_no, total_fee, status, transaction_id, paid_at, expires_at, created_at, updated_at)
            SELECT 1 + seq % ${USERS}, CONCAT('SEED', LPAD(seq, 12, '0')), 100 + seq % 900,
                   ELT(1 + seq % 100 DIV 1, ${Array.from({ length: 100 }, (_, index) => `'${index === 0 ? 'paid' : index < 5 ? 'unpaid' : index < 8 ? 'refunded' : index < 20 ? 'shipped' : 'completed'}'`).join(', ')}),
                   IF(seq % 100 BETWEEN 1 AND 4, NULL, CONCAT('42000', LPAD(seq, 23, '0'))),
                   IF(seq % 100 BETWEEN 1 AND 4, NULL, NOW() - INTERVAL (${ORDERS} - seq) * 157 SECOND + INTERVAL 1 MINUTE),
                   NOW() - INTERVAL (${ORDERS} - seq) * 157 SECOND + INTERVAL 2 HOUR,
                   NOW() - INTERVAL (${ORDERS} - seq) * 157 SECOND, NOW()
            FROM seq_1_to_${ORDERS}`);
        await connection.query('ANALYZE TABLE orders, users');
    });
    after(async () => {
        await connection?.end();
        await app?.stop();
        await app?.database.drop();
    });

    const daysAgo = (days: number) => addBeijingDays(beijingDayOf(new Date()), -days);

    const cases: Array<[string, OrderFilter, number?]> = [
        ['no filter', {}],
        ['no filter, a deep page', {}, 1_000],
        ['status paid (rare)', { status: 'paid' }],
        ['status completed (most orders)', { status: 'completed' }],
        ['status shipped, a deep page', { status: 'shipped' }, 50_000],
        ['placed on a day', { day: daysAgo(100) }],
        ['paid on a day', { paidDay: daysAgo(200) }],
        ['status and day', { status: 'completed', day: daysAgo(30) }],
        ['one shopper', { userId: 42 }],
        ['one shopper by openid', { openId: 'seed-openid-42' }],
        ['one shopper and a status', { userId: 42, status: 'completed' }],
        ['out_trade_no', { outTradeNo: 'SEED000000100000' }],
        ['transaction_id', { transactionId: `42000${'100000'.padStart(23, '0')}` }],
    ];

    for (const [name, filter, before] of cases) {
        it(`${name}: an index, never a full scan`, async () => {
            const statement = await app.server.services().orderSearch.statement(filter, before, PAGE);
            const values = statement!.values.map((value) => (typeof value === 'number' ? String(value) : value));
            const [plan] = await connection.execute(`EXPLAIN ${statement!.sql}`, values) as unknown as [Array<{ table: string; type: string; key: string | null; rows: number; Extra: string }>];
            const orders = plan.find((row) => row.table === 'orders')!;
            assert.notEqual(orders.type, 'ALL', `${name}: ${JSON.stringify(orders)}`);
            assert.ok(orders.key, `${name} reads through an index: ${JSON.stringify(orders)}`);
            const started = process.hrtime.bigint();
            const [rows] = await connection.execute(statement!.sql, values) as unknown as [unknown[]];
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            assert.ok(ms < 200, `${name}: ${ms.toFixed(1)} ms`);
            process.stdout.write(`${name}: key ${orders.key}, type ${orders.type}, rows est. ${orders.rows}, ${rows.length} read in ${ms.toFixed(1)} ms\n`);
        });
    }
});
