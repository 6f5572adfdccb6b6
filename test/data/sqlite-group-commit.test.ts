import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DataTypes, TimeoutError, UniqueConstraintError, type ModelStatic, type Model, type Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';

import { loadConfig } from '../../src/config';
import { createSequelize, prepareDatabase } from '../../src/db/sequelize';
import { createSqliteDatabase, type TestDatabase } from '../helpers/databases';

// On SQLite every write of the process queues for one connection, and writes that queue while a
// commit is on its way share the next one (src/db/sqlite-group-commit.ts). What that must keep:
// each write is durable when its promise settles, a failed one leaves no trace and fails nobody
// else, and nothing waits forever.

/** What the writer connection ran, statement by statement (sqlite3's trace event). */
function traceWriter(sequelize: Sequelize): string[] {
    const connections = (sequelize.connectionManager as unknown as { connections: Record<string, sqlite3.Database> }).connections;
    const statements: string[] = [];
    connections.writer!.on('trace', (sql) => statements.push(sql));
    return statements;
}

describe('SQLite writes sharing commits', () => {
    let database: TestDatabase;
    let sequelize: Sequelize;
    let Note: ModelStatic<Model>;
    /** A connection of its own, as another process would read the file. */
    let outsider: sqlite3.Database;

    const outsiderCount = (text: string) => new Promise<number>((resolve, reject) => {
        outsider.get('SELECT COUNT(*) AS n FROM notes WHERE text = ?', [text], (error, row: { n: number }) => (error ? reject(error) : resolve(row.n)));
    });

    before(async () => {
        database = await createSqliteDatabase();
        sequelize = createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
        await prepareDatabase(sequelize);
        Note = sequelize.define('Note', { text: { type: DataTypes.STRING, unique: true }, hits: { type: DataTypes.INTEGER, defaultValue: 0 } }, { tableName: 'notes' });
        await Note.sync();
        // The writer connection opens with the first transaction.
        await sequelize.transaction(async (transaction) => Note.create({ text: 'first' }, { transaction }));
        outsider = new sqlite3.Database(database.url.slice('sqlite:'.length));
    });

    after(async () => {
        await new Promise((resolve) => outsider.close(resolve));
        await sequelize.close();
        await database.drop();
    });

    it('commits concurrent transactions and autocommit writes together, each durable when it settles', async () => {
        const statements = traceWriter(sequelize);
        const seenWhenSettled: number[] = [];
        const writes = Array.from({ length: 40 }, (_, index) => (index % 2 === 0
            ? sequelize.transaction(async (transaction) => {
                await Note.create({ text: `tx-${index}` }, { transaction });
                await Note.update({ hits: 1 }, { where: { text: `tx-${index}` }, transaction });
            })
            : Note.create({ text: `auto-${index}` })
        ).then(async () => seenWhenSettled.push(await outsiderCount(index % 2 === 0 ? `tx-${index}` : `auto-${index}`))));
        await Promise.all(writes);

        assert.deepEqual(seenWhenSettled, Array.from({ length: 40 }, () => 1), 'another connection sees every write as soon as it settles');
        const commits = statements.filter((sql) => /^COMMIT;?$/.test(sql)).length;
        assert.ok(commits >= 1 && commits <= 10, `40 concurrent writes took ${commits} commits`);
    });

    it('rolls a failed transaction back to its savepoint; the ones beside it still commit', async () => {
        const outcomes = await Promise.allSettled([
            sequelize.transaction(async (transaction) => Note.create({ text: 'beside-1' }, { transaction })),
            sequelize.transaction(async (transaction) => {
                await Note.create({ text: 'half-done' }, { transaction });
                throw new Error('changed its mind');
            }),
            Note.create({ text: 'first' }), // the unique text again: this one statement fails
            sequelize.transaction(async (transaction) => Note.create({ text: 'beside-2' }, { transaction })),
        ]);

        assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
        assert.equal((outcomes[1] as PromiseRejectedResult).reason.message, 'changed its mind');
        assert.ok((outcomes[2] as PromiseRejectedResult).reason instanceof UniqueConstraintError);
        assert.equal(await outsiderCount('half-done'), 0);
        assert.equal(await outsiderCount('beside-1'), 1);
        assert.equal(await outsiderCount('beside-2'), 1);
    });

    it('runs a statement that writes alone as its own autocommit transaction: durable when it settles, undone when it fails', async () => {
        const statements = traceWriter(sequelize);
        await Note.create({ text: 'alone' });
        assert.equal(await outsiderCount('alone'), 1, 'another connection sees it as soon as it settles');
        await assert.rejects(Note.create({ text: 'alone' }), UniqueConstraintError);
        await Note.update({ hits: 2 }, { where: { text: 'alone' } });

        assert.deepEqual(statements.filter((sql) => /^(BEGIN|COMMIT|SAVEPOINT|ROLLBACK)/.test(sql)), [], 'no transaction of its own around a lone statement');
        assert.equal(await outsiderCount('alone'), 1);
        const hits = await new Promise<number>((resolve, reject) => {
            outsider.get("SELECT hits FROM notes WHERE text = 'alone'", (error, row: { hits: number }) => (error ? reject(error) : resolve(row.hits)));
        });
        assert.equal(hits, 2);
    });

    it('fails a write made outside its transaction from inside it as a busy database, instead of waiting for itself', async () => {
        const started = Date.now();
        await assert.rejects(sequelize.transaction(async () => {
            await Note.create({ text: 'outside its transaction' });
        }), (error: unknown) => error instanceof TimeoutError && /SQLITE_BUSY/.test(error.message));
        assert.ok(Date.now() - started < 8000);
        assert.equal(await outsiderCount('outside its transaction'), 0);
        // The queue goes on.
        await Note.create({ text: 'after the stuck one' });
        assert.equal(await outsiderCount('after the stuck one'), 1);
    });

    it('refuses an unmanaged transaction, which could not be queued', () => {
        assert.throws(() => sequelize.transaction(), /only managed transactions/);
    });
});
