import { Sequelize, Transaction, type Options } from 'sequelize';
import sqlite3 from 'sqlite3';

import type { AppConfig } from '../config';

/** How long a SQLite writer waits for the lock before failing, instead of failing at once. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * sqlite3 with a busy timeout on every connection. Sequelize opens one connection per
 * transaction and offers no hook for it, so the timeout is set where connections are made.
 */
const sqliteWithBusyTimeout = {
    ...sqlite3,
    Database: class extends sqlite3.Database {
        constructor(filename: string, mode: number, callback: (error: Error | null) => void) {
            super(filename, mode, (error) => {
                if (!error) {
                    this.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
                }
                callback(error);
            });
        }
    },
};

export function createSequelize(database: AppConfig['database']): Sequelize {
    const common: Options = { logging: false, define: { underscored: true } };
    if (database.dialect === 'sqlite') {
        return new Sequelize({
            ...common,
            dialect: 'sqlite',
            storage: database.storage,
            dialectModule: sqliteWithBusyTimeout,
            // BEGIN IMMEDIATE takes the write lock up front: two deferred transactions that both
            // read then write deadlock on SQLite; immediate ones queue on the busy timeout.
            transactionType: Transaction.TYPES.IMMEDIATE,
            retry: { max: 3, match: [/SQLITE_BUSY/] },
        });
    }
    return new Sequelize({
        ...common,
        dialect: 'mysql',
        host: database.host,
        port: database.port,
        database: database.database,
        username: database.username,
        password: database.password,
        timezone: '+00:00',
        pool: { max: 10, min: 0, acquire: 10_000, idle: 10_000 },
        dialectOptions: { connectTimeout: 5000, charset: 'utf8mb4' },
    });
}

/** Settings a SQLite file keeps once set: WAL lets readers run beside the one writer. */
export async function prepareDatabase(sequelize: Sequelize): Promise<void> {
    if (sequelize.getDialect() === 'sqlite') {
        await sequelize.query('PRAGMA journal_mode = WAL');
    }
}
