import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';

import { loadConfig } from '../../src/config';
import { createSequelize } from '../../src/db/sequelize';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { sequelizeCli as cli } from '../helpers/sequelize-cli';

const BEFORE_PENDING_ORDER_ID = '20261201004500-add-orders-status-shipped-at-index.js';

// Upgrading a database where racing taps left several pending requests on one order: the oldest
// holds the order's place, the others stay pending for the merchant, and from then on the unique
// key refuses a second pending request.
for (const { kind, create } of databaseKinds()) {
    describe(`refund_requests.pending_order_id, migrated (${kind})`, () => {
        let database: TestDatabase;
        let sequelize: Sequelize;
        const requests = () => sequelize.query<{ id: number; status: string; pending_order_id: number | null }>(
            'SELECT id, status, pending_order_id FROM refund_requests ORDER BY id', { type: QueryTypes.SELECT });
        const insertRequest = (status: string) => sequelize.query(
            `INSERT INTO refund_requests (order_id, reason, status, created_at, updated_at) VALUES (1, 'broken', '${status}', '2026-12-01 00:00:00', '2026-12-01 00:00:00')`);

        before(async () => {
            database = await create();
            await cli(database, 'db:migrate', '--to', BEFORE_PENDING_ORDER_ID);
            sequelize = createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
            await sequelize.query("INSERT INTO users (open_id, created_at, updated_at) VALUES ('o1', '2026-12-01 00:00:00', '2026-12-01 00:00:00')");
            await sequelize.query("INSERT INTO orders (user_id, out_trade_no, total_fee, status, expires_at, created_at, updated_at) VALUES (1, 'T1', 100, 'paid', '2026-12-01 00:30:00', '2026-12-01 00:00:00', '2026-12-01 00:00:00')");
            for (const status of ['declined', 'pending', 'pending', 'pending']) {
                await insertRequest(status);
            }
            await cli(database, 'db:migrate');
        });
        after(async () => {
            await sequelize?.close();
            await database?.drop();
        });

        it('lets the oldest pending request hold its order, and refuses another', async () => {
            assert.deepEqual((await requests()).map((row) => [row.status, row.pending_order_id === null ? null : Number(row.pending_order_id)]),
                [['declined', null], ['pending', 1], ['pending', null], ['pending', null]]);
            await assert.rejects(sequelize.query(
                "INSERT INTO refund_requests (order_id, pending_order_id, reason, status, created_at, updated_at) VALUES (1, 1, 'again', 'pending', '2026-12-01 00:00:00', '2026-12-01 00:00:00')"),
            UniqueConstraintError);
        });

        it('undoes to the table without the column', async () => {
            await cli(database, 'db:migrate:undo:all', '--to', '20261218005100-add-refund-requests-pending-order-id.js');
            const rows = await sequelize.query<Record<string, unknown>>('SELECT * FROM refund_requests ORDER BY id', { type: QueryTypes.SELECT });
            assert.equal(rows.length, 4);
            assert.ok(rows.every((row) => !('pending_order_id' in row)));
        });
    });
}
