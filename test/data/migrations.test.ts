import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { QueryTypes, type Sequelize } from 'sequelize';

import { loadConfig } from '../../src/config';
import { migrate, undoAllMigrations } from '../../src/db/migrator';
import { createSequelize } from '../../src/db/sequelize';
import { databaseKinds, type TestDatabase } from '../helpers/databases';

const ROOT = path.resolve(__dirname, '..', '..');
const MIGRATION_NAMES = readdirSync(path.join(ROOT, 'migrations')).filter((name) => name.endsWith('.js')).sort();
const APP_TABLES = ['SequelizeMeta', 'alerts', 'audit_events', 'goods', 'order_goods', 'orders', 'payment_notifications', 'reconciliation_reports', 'refund_notifications', 'refund_requests', 'refunds', 'shipments', 'shops', 'staff', 'staff_sessions', 'users', 'wechat_access_tokens'];

const run = promisify(execFile);

/** sequelize-cli as `npm run db:migrate` runs it, pointed at the test database. */
async function sequelizeCli(database: TestDatabase, command: string): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' };
    const { stdout } = await run('npx', ['--no-install', 'sequelize-cli', command], { cwd: ROOT, env, timeout: 30_000 });
    return stdout;
}

function open(database: TestDatabase): Sequelize {
    return createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
}

async function tables(sequelize: Sequelize): Promise<string[]> {
    const names = await sequelize.getQueryInterface().showAllTables() as Array<string | { tableName: string }>;
    return names.map((name) => (typeof name === 'string' ? name : name.tableName)).sort();
}

async function executed(sequelize: Sequelize): Promise<string[]> {
    const rows = await sequelize.query<{ name: string }>('SELECT name FROM SequelizeMeta ORDER BY name', { type: QueryTypes.SELECT });
    return rows.map((row) => row.name);
}

/** A fresh database and a connection to it, for the enclosing describe(). */
function useFreshDatabase(create: () => Promise<TestDatabase>): { database: TestDatabase; sequelize: Sequelize } {
    const fresh = {} as { database: TestDatabase; sequelize: Sequelize };
    before(async () => {
        fresh.database = await create();
        fresh.sequelize = open(fresh.database);
    });
    after(async () => {
        await fresh.sequelize.close();
        await fresh.database.drop();
    });
    return fresh;
}

for (const { kind, create } of databaseKinds()) {
    describe(`migrations on ${kind}`, () => {
        describe("the app's migrator", () => {
            const fresh = useFreshDatabase(create);

            it('creates every table on a fresh database, in file order, and records each in SequelizeMeta', async () => {
                const ran = await migrate(fresh.sequelize);
                assert.deepEqual(ran, MIGRATION_NAMES);
                assert.deepEqual(await tables(fresh.sequelize), APP_TABLES);
                assert.deepEqual(await executed(fresh.sequelize), MIGRATION_NAMES);
            });

            it("seeds the tutorial's four shops and four goods, priced in integer fen", async () => {
                const shops = await fresh.sequelize.query('SELECT id, name FROM shops ORDER BY id', { type: QueryTypes.SELECT });
                assert.deepEqual(shops, [
                    { id: 1, name: '店铺1' },
                    { id: 2, name: '店铺2' },
                    { id: 3, name: '店铺3' },
                    { id: 4, name: '店铺4' },
                ]);
                const goods = await fresh.sequelize.query('SELECT id, shop_id, name, price FROM goods ORDER BY id', { type: QueryTypes.SELECT });
                assert.deepEqual(goods, [
                    { id: 1, shop_id: 1, name: '商品1-1', price: 490 },
                    { id: 2, shop_id: 1, name: '商品1-2', price: 1280 },
                    { id: 3, shop_id: 1, name: '商品1-3', price: 2990 },
                    { id: 4, shop_id: 2, name: '商品2-1', price: 880 },
                ]);
            });

            it('runs nothing the second time, and does not seed again', async () => {
                assert.deepEqual(await migrate(fresh.sequelize), []);
                const [{ shops }] = await fresh.sequelize.query<{ shops: number }>('SELECT COUNT(*) AS shops FROM shops', { type: QueryTypes.SELECT });
                assert.equal(Number(shops), 4);
            });

            it('undoes every migration, leaving only an empty SequelizeMeta', async () => {
                await undoAllMigrations(fresh.sequelize);
                assert.deepEqual(await tables(fresh.sequelize), ['SequelizeMeta']);
                assert.deepEqual(await executed(fresh.sequelize), []);
            });

            it('migrates again after a full undo', async () => {
                assert.deepEqual(await migrate(fresh.sequelize), MIGRATION_NAMES);
                assert.deepEqual(await tables(fresh.sequelize), APP_TABLES);
            });
        });

        describe('sequelize-cli (npm run db:migrate)', () => {
            const fresh = useFreshDatabase(create);

            it('db:migrate creates the same tables and records the same names as the app', async () => {
                await sequelizeCli(fresh.database, 'db:migrate');
                assert.deepEqual(await tables(fresh.sequelize), APP_TABLES);
                assert.deepEqual(await executed(fresh.sequelize), MIGRATION_NAMES);
            });

            it("the app's migrator sees the CLI's migrations as done", async () => {
                assert.deepEqual(await migrate(fresh.sequelize), []);
            });

            it('db:migrate:undo:all undoes them, leaving only an empty SequelizeMeta', async () => {
                await sequelizeCli(fresh.database, 'db:migrate:undo:all');
                assert.deepEqual(await tables(fresh.sequelize), ['SequelizeMeta']);
                assert.deepEqual(await executed(fresh.sequelize), []);
            });

            it("db:migrate:undo:all undoes what the app's migrator ran", async () => {
                assert.deepEqual(await migrate(fresh.sequelize), MIGRATION_NAMES);
                await sequelizeCli(fresh.database, 'db:migrate:undo:all');
                assert.deepEqual(await tables(fresh.sequelize), ['SequelizeMeta']);
            });

            it("db:migrate finds nothing to do after the app's migrator ran", async () => {
                await migrate(fresh.sequelize);
                assert.match(await sequelizeCli(fresh.database, 'db:migrate'), /No migrations were executed/);
                assert.deepEqual(await executed(fresh.sequelize), MIGRATION_NAMES);
                assert.deepEqual(await tables(fresh.sequelize), APP_TABLES);
            });
        });
    });
}
