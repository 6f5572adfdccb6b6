import mysql from 'mysql2/promise';
import sqlite3 from 'sqlite3';

import { secret } from './figures';

// The database as the test sees it, beside the app: to judge outcomes without asking the
// API (a GET /orders/{id} would itself heal an order through orderquery) and, in a few
// scenarios, to set the scene (age a prepay, hold a lock, remove a user).

export type Row = Record<string, unknown>;

export interface Store {
    all<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
    run(sql: string, params?: unknown[]): Promise<void>;
    close(): Promise<void>;
}

export interface OrderRow extends Row {
    id: number;
    out_trade_no: string;
    status: string;
    transaction_id: string | null;
    prepay_id: string | null;
    total_fee: number;
}

/** A connection of its own to the database at `url` (the DATABASE_URL the app was given). */
export async function openStore(url: string): Promise<Store> {
    if (url.startsWith('sqlite:')) {
        return openSqlite(url.slice('sqlite:'.length));
    }
    const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), timezone: 'Z', dateStrings: true });
    return {
        all: async <T extends Row>(sql: string, params: unknown[] = []) => (await connection.query(sql, params))[0] as T[],
        run: async (sql, params = []) => {
            await connection.query(sql, params);
        },
        close: () => connection.end(),
    };
}

function openSqlite(file: string): Promise<Store> {
    return new Promise((resolve, reject) => {
        const database = new sqlite3.Database(file, (error) => {
            if (error) {
                reject(error);
                return;
            }
            database.configure('busyTimeout', 10_000);
            resolve({
                all: <T extends Row>(sql: string, params: unknown[] = []) => new Promise<T[]>((done, fail) => {
                    database.all(sql, params, (queryError, rows) => (queryError ? fail(queryError) : done(rows as T[])));
                }),
                run: (sql, params = []) => new Promise<void>((done, fail) => {
                    database.run(sql, params, (runError) => (runError ? fail(runError) : done()));
                }),
                close: () => new Promise<void>((done) => {
                    database.close(() => done());
                }),
            });
        });
    });
}

export async function ordersByIds(store: Store, ids: readonly number[]): Promise<Map<number, OrderRow>> {
    if (ids.length === 0) {
        return new Map();
    }
    const rows = await store.all<OrderRow>(
        `SELECT id, out_trade_no, status, transaction_id, prepay_id, total_fee FROM orders WHERE id IN (${ids.map(() => '?').join(',')})`, [...ids]);
    return new Map(rows.map((row) => [Number(row.id), { ...row, id: Number(row.id), total_fee: Number(row.total_fee) }]));
}

export async function orderById(store: Store, id: number): Promise<OrderRow> {
    const row = (await ordersByIds(store, [id])).get(id);
    if (!row) {
        throw new Error(`order ${id} is not in the database`);
    }
    return row;
}

/** The users' session keys as secrets the final scan looks for (call before the database is dropped). */
export async function registerSessionKeys(store: Store): Promise<number> {
    const rows = await store.all<{ session_key: string | null }>('SELECT session_key FROM users WHERE session_key IS NOT NULL');
    for (const row of rows) {
        secret('session_key', row.session_key!);
    }
    return rows.length;
}

/** Before a test database goes: its session keys join the secrets the suite scans for, then the connection closes. */
export async function retireStore(store: Store | undefined): Promise<void> {
    if (store) {
        await registerSessionKeys(store);
        await store.close();
    }
}
