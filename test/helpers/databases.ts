import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import mysql from 'mysql2/promise';

/** A database of its own for one test file, dropped (or deleted) when the file is done. */
export interface TestDatabase {
    readonly kind: 'sqlite' | 'mysql';
    readonly url: string;
    drop(): Promise<void>;
}

export async function createSqliteDatabase(): Promise<TestDatabase> {
    const folder = mkdtempSync(path.join(tmpdir(), 'wxshop-test-'));
    return {
        kind: 'sqlite',
        url: `sqlite:${path.join(folder, 'test.sqlite')}`,
        drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
}

/** A fresh schema on the server TEST_MYSQL_URL names (MariaDB in CI). */
export async function createMysqlDatabase(serverUrl: string): Promise<TestDatabase> {
    const url = new URL(serverUrl);
    const name = `wxshop_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const connection = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username) || 'root',
        password: decodeURIComponent(url.password),
    });
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    url.pathname = `/${name}`;
    return {
        kind: 'mysql',
        url: url.toString(),
        drop: async () => {
            await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
            await connection.end();
        },
    };
}

/** The databases a data-layer suite runs on: always a SQLite file; MySQL too when TEST_MYSQL_URL is set. */
export function databaseKinds(): Array<{ kind: 'sqlite' | 'mysql'; create: () => Promise<TestDatabase> }> {
    const kinds: Array<{ kind: 'sqlite' | 'mysql'; create: () => Promise<TestDatabase> }> = [{ kind: 'sqlite', create: createSqliteDatabase }];
    const mysqlUrl = process.env.TEST_MYSQL_URL;
    if (mysqlUrl) {
        kinds.push({ kind: 'mysql', create: () => createMysqlDatabase(mysqlUrl) });
    }
    return kinds;
}
