import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

import { loadConfig } from '../../src/config';
import { driverStatements } from '../../src/db/driver';
import { createSequelize, prepareDatabase } from '../../src/db/sequelize';
import { createSqliteDatabase, type TestDatabase } from '../helpers/databases';

// sqlite3 runs a statement that still has to be prepared (every one Sequelize runs) only once its
// connection has no statement in flight, while an already prepared one starts at once. When the
// driver's prepared reads shared Sequelize's connection, a steady stream of them left it no such
// moment: a Sequelize read (a token's user once its cache entry expired, the shops once theirs
// did) waited for a lull, seconds in the bench, and every request needing it stalled behind it.

describe('SQLite reads under a steady stream of prepared reads', () => {
    let database: TestDatabase;
    let sequelize: Sequelize;
    let Note: ModelStatic<Model>;

    before(async () => {
        database = await createSqliteDatabase();
        sequelize = createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
        await prepareDatabase(sequelize);
        Note = sequelize.define('Note', { text: DataTypes.STRING }, { tableName: 'notes', timestamps: false });
        await Note.sync();
        await Note.bulkCreate(Array.from({ length: 200 }, (_, index) => ({ text: `note ${index}` })));
    });

    after(async () => {
        await sequelize.close();
        await database.drop();
    });

    it('answers a Sequelize read, and a statement prepared for the first time, while prepared reads keep coming', async () => {
        const driver = driverStatements(sequelize);
        const streamMs = 1500;
        const streamUntil = Date.now() + streamMs;
        let streamed = 0;
        // 30 readers, each starting its next read the moment the last one answers.
        const stream = Promise.all(Array.from({ length: 30 }, async () => {
            while (Date.now() < streamUntil) {
                await driver.all('SELECT `id`, `text` FROM `notes` WHERE `id` > ? LIMIT 20', [streamed % 150]);
                streamed += 1;
            }
        }));
        await new Promise((resolve) => setTimeout(resolve, 200));

        const timed = async (read: () => Promise<unknown>) => {
            const started = Date.now();
            await read();
            return Date.now() - started;
        };
        const sequelizeReadMs = await timed(() => Note.findByPk(7, { raw: true }));
        const firstPreparedMs = await timed(() => driver.get('SELECT `text` FROM `notes` WHERE `id` = ?', [8]));
        const streamStillRunning = Date.now() < streamUntil;
        await stream;

        assert.ok(streamStillRunning, 'the stream ended before both reads answered: they waited for it');
        assert.ok(streamed > 1000, `only ${streamed} reads streamed`);
        assert.ok(sequelizeReadMs < 500, `the Sequelize read took ${sequelizeReadMs} ms beside the stream`);
        assert.ok(firstPreparedMs < 500, `a first-time prepared read took ${firstPreparedMs} ms beside the stream`);
    });
});
