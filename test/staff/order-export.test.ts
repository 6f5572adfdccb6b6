import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { EXPORT_BATCH, exportOrders } from '../../src/services/console/order-export';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';

// The orders export streams: it reads one batch of orders at a time, only when the client has
// taken the last, so an export of any size holds about one batch. Many rows, over real HTTP.

const ORDERS = 12_000;

/** Orders written straight to the table: the export reads what is there, however it got there. */
async function seedOrders(app: TestApp, count: number): Promise<void> {
    const { User, Order } = app.server.app.models;
    const user = await User.create({ openId: `export-shopper-${Date.now()}`, sessionKey: null, nickName: null, avatarUrl: null, gender: null });
    const now = Date.now();
    for (let start = 0; start < count; start += 1000) {
        await Order.bulkCreate(Array.from({ length: Math.min(1000, count - start) }, (_, index) => ({
            userId: user.id, outTradeNo: `EXP${String(start + index).padStart(10, '0')}`, totalFee: 100 + index,
            status: 'paid' as const, paidAt: new Date(now - index * 1000), expiresAt: new Date(now + 3_600_000),
        })), { validate: false });
    }
}

for (const { kind, create } of databaseKinds()) {
    describe(`the orders export on ${kind}`, () => {
        let app: TestApp;

        before(async () => {
            app = await startTestApp({ database: await create() });
            await seedOrders(app, ORDERS);
        });
        after(() => app.stop().then(() => app.database.drop()));

        it('reads a batch only when the client has taken the last one', async () => {
            const batches: number[] = [];
            const stream = exportOrders(app.server.services().orderSearch, {}, (rows) => batches.push(rows));
            const [first] = await once(stream, 'data') as [Buffer];
            assert.match(first.toString('utf8'), /^\uFEFFid,out_trade_no,/);
            stream.pause();
            await sleep(300);
            assert.ok(batches.length <= 2, `a paused client holds the export at ${batches.length} batch(es) of ${EXPORT_BATCH}`);
            let rows = -1;
            stream.on('data', (chunk: Buffer) => { rows += chunk.toString('utf8').split('\r\n').length - 1; });
            stream.resume();
            await once(stream, 'end');
            assert.equal(rows + 1 + (first.toString('utf8').split('\r\n').length - 1), ORDERS + 1);
            assert.equal(batches.length, Math.ceil(ORDERS / EXPORT_BATCH) + (ORDERS % EXPORT_BATCH === 0 ? 1 : 0));
            assert.ok(batches.every((size) => size <= EXPORT_BATCH));
        });

        it('streams every order as CSV over HTTP, newest first, with the filters of the list', async () => {
            const url = new URL('/admin/orders/export?status=paid', app.server.info.uri);
            const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
                http.get(url, { headers: { authorization: `Bearer ${DEV_ADMIN_API_KEY}` } }, resolve).on('error', reject);
            });
            assert.equal(response.statusCode, 200);
            assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
            assert.match(String(response.headers['content-disposition']), /attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"/);
            assert.equal(response.headers['transfer-encoding'], 'chunked', 'streamed, not sized up front');
            let text = '';
            for await (const chunk of response) {
                text += (chunk as Buffer).toString('utf8');
            }
            const lines = text.split('\r\n').filter(Boolean);
            assert.equal(lines.length, ORDERS + 1);
            assert.equal(lines[0], '\uFEFFid,out_trade_no,transaction_id,user_id,openid,status,total_fee,refunded_fee,created_at (Beijing),paid_at (Beijing),shipped_at (Beijing),completed_at (Beijing)');
            const ids = lines.slice(1).map((line) => Number(line.split(',')[0]));
            assert.ok(ids.every((id, index) => index === 0 || id < ids[index - 1]!), 'newest first');
            assert.match(lines[1]!, /,paid,\d+,0,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/);
        });
    });
}
