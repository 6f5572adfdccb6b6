import { Sequelize, Transaction, type Options, type TransactionOptions } from 'sequelize';
import sqlite3 from 'sqlite3';

import type { AppConfig } from '../config';

/** How long a SQLite writer waits for the lock before failing, instead of failing at once. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * sqlite3 connections that wait for the write lock (busy timeout) and run one statement at
 * a time. Each waiting statement holds one of libuv's four threads; a connection running
 * statements in parallel could fill them all and starve the lock holder of the thread it
 * needs to commit. Sequelize offers no connection hook, so this is where connections are made.
 */
const sqliteConnections = {
    ...sqlite3,
    Database: class extends sqlite3.Database {
        constructor(filename: string, mode: number, callback: (error: Error | null) => void) {
            super(filename, mode, (error) => {
                if (!error) {
                    this.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
                    this.serialize();
                }
                callback(error);
            });
        }
    },
};

type TransactionCallback = (transaction: Transaction) => Promise<unknown>;

interface SqliteConnectionManager {
    getConnection(options?: { uuid?: string }): Promise<object>;
    releaseConnection(connection: object): void;
}

/** The uuid under which Sequelize's SQLite dialect keeps the one connection all transactions share. */
const TRANSACTIONS_CONNECTION = 'transactions';

/**
 * SQLite has a single writer, and Sequelize gives each transaction a connection of its own,
 * opened at BEGIN and closed at COMMIT. Here managed transactions are queued in-process, so
 * only one ever waits for the lock (keeping the threads busy-waiting to two: this one and
 * the shared connection), and the queue lets them share one connection that stays open,
 * instead of opening the file (and reading its schema) for every transaction. Unmanaged
 * transactions could not be queued, so they are refused.
 */
function queueManagedTransactions(sequelize: Sequelize): Sequelize {
    const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
    const getConnection = manager.getConnection.bind(manager);
    const releaseConnection = manager.releaseConnection.bind(manager);
    let shared: object | undefined;
    manager.getConnection = async (options) => {
        if (options?.uuid === undefined || options.uuid === 'default') {
            return getConnection(options);
        }
        shared = await getConnection({ ...options, uuid: TRANSACTIONS_CONNECTION });
        return shared;
    };
    manager.releaseConnection = (connection) => {
        if (connection !== shared) {
            releaseConnection(connection);
        }
    };

    const begin = sequelize.transaction.bind(sequelize) as (options?: TransactionOptions, callback?: TransactionCallback) => Promise<unknown>;
    let tail: Promise<unknown> = Promise.resolve();
    const queued = (optionsOrCallback?: TransactionOptions | TransactionCallback, maybeCallback?: TransactionCallback) => {
        const [options, callback] = typeof optionsOrCallback === 'function' ? [undefined, optionsOrCallback] : [optionsOrCallback, maybeCallback];
        if (!callback) {
            throw new Error('SQLite: only managed transactions (with a callback) can share the queued connection');
        }
        const run = tail.then(() => begin(options, callback));
        tail = run.catch(() => undefined);
        return run;
    };
    sequelize.transaction = queued as Sequelize['transaction'];
    return sequelize;
}

/** What a mysql2 connection offers once connected (Sequelize hands it to afterConnect untyped). */
interface MysqlConnection {
    promise(): { query(sql: string): Promise<[unknown, unknown]> };
}

/**
 * Every MySQL / MariaDB connection cuts off its own statements and lock waits: a table locked
 * by another client must cost a request a few seconds, never the pool. MariaDB bounds every
 * statement (max_statement_time, seconds); MySQL only SELECTs (max_execution_time, ms), so
 * the lock waits carry the rest. Lock waits are whole seconds, at least one.
 */
async function limitStatements(connection: MysqlConnection, statementTimeoutMs: number): Promise<void> {
    const session = connection.promise();
    const [rows] = await session.query('SELECT VERSION() AS version');
    const isMariaDb = /mariadb/i.test(String((rows as Array<{ version: string }>)[0]?.version));
    const lockWaitSeconds = Math.max(1, Math.floor(statementTimeoutMs / 1000));
    const statementLimit = isMariaDb ? `max_statement_time = ${statementTimeoutMs / 1000}` : `max_execution_time = ${statementTimeoutMs}`;
    await session.query(`SET SESSION ${statementLimit}, lock_wait_timeout = ${lockWaitSeconds}, innodb_lock_wait_timeout = ${lockWaitSeconds}`);
}

export function createSequelize(database: AppConfig['database']): Sequelize {
    const common: Options = { logging: false, define: { underscored: true } };
    if (database.dialect === 'sqlite') {
        return queueManagedTransactions(new Sequelize({
            ...common,
            dialect: 'sqlite',
            storage: database.storage,
            dialectModule: sqliteConnections,
            // BEGIN IMMEDIATE takes the write lock up front: two deferred transactions that both
            // read then write deadlock on SQLite; immediate ones queue on the busy timeout.
            transactionType: Transaction.TYPES.IMMEDIATE,
            retry: { max: 3, match: [/SQLITE_BUSY/] },
        }));
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
        // A request waits for a connection less long than its route may take, so a full pool answers 503 in time.
        pool: { max: 10, min: 0, acquire: database.poolAcquireTimeoutMs, idle: 10_000 },
        dialectOptions: { connectTimeout: 5000, charset: 'utf8mb4' },
        hooks: { afterConnect: (connection) => limitStatements(connection as MysqlConnection, database.statementTimeoutMs) },
    });
}

/** Settings a SQLite file keeps once set: WAL lets readers run beside the one writer. */
export async function prepareDatabase(sequelize: Sequelize): Promise<void> {
    if (sequelize.getDialect() === 'sqlite') {
        await sequelize.query('PRAGMA journal_mode = WAL');
    }
}
