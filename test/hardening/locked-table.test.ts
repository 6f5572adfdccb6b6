import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import mysql from 'mysql2/promise';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { createMysqlDatabase, type TestDatabase } from '../helpers/databases';

// Another client holds `LOCK TABLES orders WRITE` (a long migration, a DBA's session). Every
// statement has a timeout on our connections, so requests that need `orders` give their
// connection back within seconds (503) instead of holding the whole pool; other tables keep
// answering; /health says "busy" while the pool is full, never "down" for a database that is up.

const MYSQL_URL = process.env.TEST_MYSQL_URL;
const STATEMENT_TIMEOUT_MS = 1500;
/** More than the pool's 10 connections. */
const WAITING_REQUESTS = 14;

describe('a table locked by another client (MariaDB)', { skip: MYSQL_URL ? false : 'TEST_MYSQL_URL is unset' }, () => {
    let database: TestDatabase;
    let app: TestApp;
    let locker: mysql.Connection;
    let token: string;

    before(async () => {
        database = await createMysqlDatabase(MYSQL_URL!);
        app = await startTestApp({ database, env: { DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DB_POOL_ACQUIRE_TIMEOUT_MS: '3000' } });
        ({ token } = await app.login());
        locker = await mysql.createConnection(database.url);
    });

    after(async () => {
        await locker?.end();
        await app?.stop();
        await database?.drop();
    });

    it('cuts off the waiting statements, keeps GET /shops answering, and /health says busy, then ok once unlocked', async () => {
        await locker.query('LOCK TABLES orders WRITE');
        const started = Date.now();
        const waiting = Array.from({ length: WAITING_REQUESTS }, () => app.inject({ method: 'GET', url: '/orders', headers: bearer(token) })
            .then((response) => ({ status: response.statusCode, ms: Date.now() - started })));
        // Give the requests time to take every pooled connection and queue for more.
        await new Promise((resolve) => setTimeout(resolve, 500));

        const health = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 503);
        assert.deepEqual(JSON.parse(health.payload), { status: 'unavailable', db: 'busy' });

        const shopsStarted = Date.now();
        const shops = await app.inject({ method: 'GET', url: '/shops?limit=1' });
        assert.equal(shops.statusCode, 200, shops.payload);
        assert.ok(Date.now() - shopsStarted < 3 * STATEMENT_TIMEOUT_MS, `GET /shops took ${Date.now() - shopsStarted} ms`);

        const answers = await Promise.all(waiting);
        assert.deepEqual(answers.filter((answer) => answer.status !== 503), [], 'every request on the locked table answered 503');
        // At most two rounds of statement timeouts (the pool holds 10 of the 14), plus a margin for a loaded machine.
        assert.ok(Math.max(...answers.map((answer) => answer.ms)) < 2 * STATEMENT_TIMEOUT_MS + 3000, JSON.stringify(answers));

        await locker.query('UNLOCK TABLES');
        assert.deepEqual(JSON.parse((await app.inject({ method: 'GET', url: '/health' })).payload), { status: 'ok', db: 'ok' });
        assert.equal((await app.inject({ method: 'GET', url: '/orders', headers: bearer(token) })).statusCode, 200);
    });

    it('says /health down, not busy, once the database is gone', async () => {
        await app.server.app.models.sequelize.close();
        const health = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 503);
        assert.deepEqual(JSON.parse(health.payload), { status: 'unavailable', db: 'down' });
    });
});
