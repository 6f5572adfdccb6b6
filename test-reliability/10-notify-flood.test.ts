import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { count, measure, scenario } from './support/figures';
import { freePort } from './support/http';
import { newCredentials, startApp, stopAll, type RunningApp } from './support/processes';
import { Shop } from './support/shop';
import { openStore, retireStore, type Store } from './support/store';

// Anyone can post to the notify URL. Under a flood of junk from many senders — bodies just
// under the size limit, bodies nested thousands deep — genuine notifications are still
// answered within WeChat's 5 s, each order is paid once, and what the junk leaves on disk
// stays bounded (a short prefix per delivery, purged beyond a cap).

const SENDERS = 16;
const FLOOD_MS = 8000;
const GENUINE = 8;
const UNVERIFIED_CAP = 500;
const WECHAT_PATIENCE_MS = 5000;

const junk = (index: number) => (index % 2 === 0
    ? Buffer.concat([Buffer.from('<xml><attach><![CDATA['), randomBytes(15_000), Buffer.from(']]></attach></xml>')])
    : Buffer.from(`<xml>${'<a>'.repeat(2000)}${'</a>'.repeat(2000)}</xml>`));

const DATABASES = [
    { kind: 'SQLite', create: createSqliteDatabase },
    ...(process.env.TEST_MYSQL_URL ? [{ kind: 'MariaDB', create: () => createMysqlDatabase(process.env.TEST_MYSQL_URL!) }] : []),
];

for (const { kind, create } of DATABASES) {
    describe(`a flood of junk notifications (${kind})`, () => {
        let database: TestDatabase;
        let store: Store;
        let app: RunningApp;
        let shop: Shop;

        before(async () => {
            scenario(`notify flood (${kind})`);
            database = await create();
            app = await startApp('app', {
                // The in-process simulator runs only beside the example merchant.
                JWT_SECRET: newCredentials().JWT_SECRET,
                DATABASE_URL: database.url,
                WECHAT_SIMULATOR: 'true',
                DEV_LOGIN: 'false',
                WX_PAY_NOTIFY_URL: `http://127.0.0.1:${await freePort()}/nowhere`,
                RECONCILE_INTERVAL_MS: '0',
                NOTIFY_UNVERIFIED_MAX_ROWS: String(UNVERIFIED_CAP),
                NOTIFY_PURGE_INTERVAL_MS: '1000',
            });
            store = await openStore(database.url);
            shop = new Shop(app.url, app.wechat);
        });

        after(async () => {
            await stopAll();
            await retireStore(store);
            await database?.drop();
        });

        it('answers every genuine notification within 5 s and pays each order once, with bounded storage', async () => {
            const { token } = await shop.login(`flood.${Date.now()}`);
            const genuine: Array<{ id: number; xml: string }> = [];
            for (let index = 0; index < GENUINE; index += 1) {
                const order = await shop.placeOrder(token);
                await shop.payInWechat(await shop.requestPayment(token, order.id));
                genuine.push({ id: order.id, xml: await shop.genuineNotification(order.out_trade_no) });
            }
            const sqliteBytes = () => (database.kind === 'sqlite'
                ? ['', '-wal'].reduce((sum, suffix) => sum + (statSync(`${database.url.slice('sqlite:'.length)}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0)
                : 0);
            const bytesBefore = sqliteBytes();

            let sent = 0;
            let serverErrors = 0;
            const deadline = Date.now() + FLOOD_MS;
            const flood = Array.from({ length: SENDERS }, async (_, sender) => {
                for (let index = sender; Date.now() < deadline; index += SENDERS) {
                    const answer = await shop.notify(junk(index)).catch(() => undefined);
                    sent += 1;
                    serverErrors += answer === undefined || answer.status >= 500 ? 1 : 0;
                }
            });
            const latencies: number[] = [];
            const answers: string[] = [];
            for (const { xml } of genuine) {
                await new Promise((resolve) => setTimeout(resolve, FLOOD_MS / (GENUINE + 1)));
                const started = Date.now();
                const answer = await shop.notify(xml);
                latencies.push(Date.now() - started);
                answers.push(`${answer.status} ${answer.returnCode}`);
            }
            await Promise.all(flood);
            count('hostile', sent);

            // One purge interval later, what the flood left is capped.
            await new Promise((resolve) => setTimeout(resolve, 2500));
            const [stored] = await store.all<{ rows: number; bytes: number }>(
                'SELECT COUNT(*) AS "rows", COALESCE(SUM(LENGTH(body)), 0) AS "bytes" FROM payment_notifications WHERE signature_valid IS NOT TRUE');
            const paid = await store.all<{ status: string }>(`SELECT status FROM orders WHERE id IN (${genuine.map(() => '?').join(', ')})`, genuine.map(({ id }) => id));
            const wrong = paid.filter((row) => row.status !== 'paid').length;
            count('wrongOrders', wrong);
            count('lostNotifications', answers.filter((answer) => answer !== '200 SUCCESS').length);

            measure(`junk flood (${kind}): deliveries sent in ${FLOOD_MS / 1000} s`, sent, '');
            measure(`junk flood (${kind}): slowest genuine notify`, Math.max(...latencies), 'ms');
            measure(`junk flood (${kind}): unverified rows kept after the purge (cap ${UNVERIFIED_CAP})`, Number(stored!.rows), '');
            measure(`junk flood (${kind}): body bytes kept per unverified row`, Number(stored!.rows) === 0 ? 0 : Math.round(Number(stored!.bytes) / Number(stored!.rows)), 'B');
            if (database.kind === 'sqlite') {
                measure('junk flood (SQLite): database file growth', Math.round((sqliteBytes() - bytesBefore) / 1024), 'KB');
            }

            assert.deepEqual(answers, genuine.map(() => '200 SUCCESS'));
            assert.ok(Math.max(...latencies) < WECHAT_PATIENCE_MS, `genuine latencies ${latencies.join(', ')} ms`);
            assert.equal(wrong, 0);
            assert.equal(serverErrors, 0, `${serverErrors} of ${sent} junk deliveries answered 5xx or not at all`);
            assert.ok(Number(stored!.rows) <= UNVERIFIED_CAP, `${stored!.rows} unverified rows kept`);
            assert.ok(Number(stored!.bytes) <= Number(stored!.rows) * 256);
        });
    });
}
