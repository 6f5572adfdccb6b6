import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DataTypes, UniqueConstraintError, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';

import { loadConfig } from '../../src/config';
import { driverStatements } from '../../src/db/driver';
import { createSequelize, prepareDatabase } from '../../src/db/sequelize';
import { createSqliteDatabase, type TestDatabase } from '../helpers/databases';

// On SQLite the driver statements run on statements prepared once per connection and SQL text
// (src/db/sqlite-prepared.ts). What that must keep: a statement is prepared once however often it
// runs, one that failed does not poison the next call, and the connection still closes.

describe('SQLite statements prepared once per connection', () => {
    let database: TestDatabase;
    let sequelize: Sequelize;
    let Note: ModelStatic<Model>;
    const prepared: string[] = [];
    const prepare = sqlite3.Database.prototype.prepare;

    before(async () => {
        database = await createSqliteDatabase();
        sequelize = createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
        await prepareDatabase(sequelize);
        Note = sequelize.define('Note', { text: { type: DataTypes.STRING, unique: true } }, { tableName: 'notes', timestamps: false });
        await Note.sync();
        // Count prepares on every connection.
        sqlite3.Database.prototype.prepare = function counted(this: sqlite3.Database, sql: string, ...rest: unknown[]) {
            prepared.push(sql);
            return (prepare as (...args: unknown[]) => sqlite3.Statement).call(this, sql, ...rest);
        } as typeof prepare;
    });

    after(async () => {
        sqlite3.Database.prototype.prepare = prepare;
        await database.drop();
    });

    const INSERT = 'INSERT INTO `notes` (`text`) VALUES (?)';
    const SELECT = 'SELECT `text` FROM `notes` WHERE `text` = ?';

    it('prepares a statement once however many times it runs, on the writer and on the reader', async () => {
        const driver = driverStatements(sequelize);
        for (const text of ['a', 'b', 'c']) {
            await driver.insert(INSERT, [text]);
            assert.deepEqual(await driver.get(SELECT, [text]), { text });
        }
        assert.equal(prepared.filter((sql) => sql === INSERT).length, 1);
        assert.equal(prepared.filter((sql) => sql === SELECT).length, 1);
    });

    it('answers the next call normally after a call failed, on a statement prepared afresh', async () => {
        const driver = driverStatements(sequelize);
        await assert.rejects(driver.insert(INSERT, ['a']), UniqueConstraintError);
        assert.ok((await driver.insert(INSERT, ['d'])) > 0);
        assert.deepEqual(await driver.all(SELECT, ['d']), [{ text: 'd' }]);
    });

    it('still lets the connections close, their statements finalized first', async () => {
        await sequelize.close();
        const file = new sqlite3.Database(database.url.slice('sqlite:'.length));
        const texts = await new Promise<unknown[]>((resolve, reject) => file.all('SELECT text FROM notes ORDER BY text', (error, rows) => (error ? reject(error) : resolve(rows))));
        await new Promise((resolve) => file.close(resolve));
        assert.deepEqual(texts, [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }]);
    });
});
