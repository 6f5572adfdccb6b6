import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { QueryTypes, type Sequelize } from 'sequelize';

import { loadConfig } from '../../src/config';
import { createSequelize } from '../../src/db/sequelize';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { sequelizeCli as cli } from '../helpers/sequelize-cli';

const BEFORE_BODIES = '20261127001100-add-payment-notifications-out-trade-no-index.js';

// Upgrading a database that holds deliveries stored the old way (raw_xml text, and rows left
// `received` by requests that died half-way): bodies become bytes with their length, the
// half-done rows say they were interrupted, and the way back restores raw_xml.
for (const { kind, create } of databaseKinds()) {
    describe(`payment_notifications bodies, migrated (${kind})`, () => {
        let database: TestDatabase;
        let sequelize: Sequelize;
        const rows = () => sequelize.query<Record<string, unknown>>('SELECT * FROM payment_notifications ORDER BY id', { type: QueryTypes.SELECT });

        before(async () => {
            database = await create();
            await cli(database, 'db:migrate', '--to', BEFORE_BODIES);
            sequelize = createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
            await sequelize.query(
                "INSERT INTO payment_notifications (raw_xml, out_trade_no, outcome, created_at, updated_at) VALUES ('<xml><a>付款</a></xml>', 'T1', 'paid', '2026-11-30 00:00:00', '2026-11-30 00:00:00'), ('<xml><a>1</a></xml>', 'T2', 'received', '2026-11-30 00:00:00', '2026-11-30 00:00:00')");
            await cli(database, 'db:migrate');
        });
        after(async () => {
            await sequelize?.close();
            await database?.drop();
        });

        it('keeps each old body as its UTF-8 bytes, with their length, and drops raw_xml', async () => {
            const [paid, received] = await rows();
            assert.deepEqual(Buffer.from(paid!.body as Buffer), Buffer.from('<xml><a>付款</a></xml>', 'utf8'));
            assert.equal(Number(paid!.body_bytes), Buffer.byteLength('<xml><a>付款</a></xml>'));
            assert.equal(paid!.outcome, 'paid');
            assert.equal('raw_xml' in paid!, false);
            assert.equal(received!.outcome, 'interrupted');
            assert.match(String(received!.reason), /interrupted/);
        });

        it('undoes to raw_xml text and `received` again', async () => {
            await cli(database, 'db:migrate:undo:all', '--to', '20261201001100-add-payment-notifications-body.js');
            const [paid, received] = await rows();
            assert.equal(paid!.raw_xml, '<xml><a>付款</a></xml>');
            assert.equal(received!.outcome, 'received');
            assert.equal('body' in paid!, false);
        });
    });
}
