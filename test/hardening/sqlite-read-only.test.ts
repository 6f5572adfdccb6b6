import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { createSqliteDatabase, type TestDatabase } from '../helpers/databases';

// A SQLite file the process cannot write (a read-only mount, a wrong owner, a full disk look the
// same from here) is an outage: writes answer 503 like a database that is down, never 500, and
// /health says so, because it checks that the database accepts writes, not only reads.

/** chmod stops everyone but root; for root (CI) the immutable flag does the same on ext4/xfs. */
function setReadOnly(file: string, readOnly: boolean): void {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !readOnly) {
        execFileSync('chattr', ['-i', file]);
    }
    chmodSync(file, readOnly ? 0o444 : 0o644);
    if (asRoot && readOnly) {
        execFileSync('chattr', ['+i', file]);
    }
}

describe('a read-only SQLite file', () => {
    let database: TestDatabase;
    let file: string;
    let app: TestApp;

    before(async () => {
        database = await createSqliteDatabase();
        file = database.url.slice('sqlite:'.length);
        // Migrated and seeded while writable, then made read-only before the app that is tested opens it.
        await (await startTestApp({ database, listen: false })).stop();
        setReadOnly(file, true);
        app = await startTestApp({ database, env: { DB_AUTO_MIGRATE: 'false' } });
    });

    after(async () => {
        await app?.server.stop();
        setReadOnly(file, false);
        await database.drop();
    });

    it('answers a login 503, not 500', async () => {
        const response = await app.inject({ method: 'POST', url: '/users/wxLogin', payload: { code: `reader.${Date.now()}` } });
        assert.equal(response.statusCode, 503, response.payload);
        assert.deepEqual(JSON.parse(response.payload), { statusCode: 503, error: 'Service Unavailable', message: 'database unavailable, try again shortly' });
    });

    it('says /health 503 { status: unavailable, db: down }, though reads still work', async () => {
        const health = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 503);
        assert.deepEqual(JSON.parse(health.payload), { status: 'unavailable', db: 'down' });
        assert.equal((await app.inject({ method: 'GET', url: '/shops?limit=1' })).statusCode, 200);
    });

    it('logs the storage error, without a stack in the reply', () => {
        assert.ok(app.logs.some((line) => line.includes('SQLITE_READONLY')));
    });
});
