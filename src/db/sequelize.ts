import { Sequelize, Transaction, type Options } from 'sequelize';
import sqlite3 from 'sqlite3';

import type { AppConfig } from '../config';
import { leanTransactions } from './mysql-transactions';
import { groupCommits } from './sqlite-group-commit';

/** How long a SQLite write waits for the lock (another process) or its turn (this one) before failing. */
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
        return groupCommits(new Sequelize({
            ...common,
            dialect: 'sqlite',
            storage: database.storage,
            dialectModule: sqliteConnections,
            // BEGIN IMMEDIATE takes the write lock up front: two deferred transactions that both
            // read then write deadlock on SQLite; immediate ones queue on the busy timeout.
            transactionType: Transaction.TYPES.IMMEDIATE,
            retry: { max: 3, match: [/SQLITE_BUSY/] },
        }), SQLITE_BUSY_TIMEOUT_MS);
    }
    return leanTransactions(new Sequelize({
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
        // typeCast: mysql2's own conversions instead of Sequelize's typeCast function, for which
        // mysql2 wraps every field of every row in an object (a quarter of GET /orders' CPU).
        // They read what these models hold alike: a DATETIME as a Date in the connection's
        // timezone (UTC), integers as numbers. Sequelize's would differ only for DATEONLY and
        // GEOMETRY columns (a text, GeoJSON), which the models do not have.
        dialectOptions: { connectTimeout: 5000, charset: 'utf8mb4', typeCast: true },
        hooks: { afterConnect: (connection) => limitStatements(connection as MysqlConnection, database.statementTimeoutMs) },
    }));
}

/** Settings a SQLite file keeps once set: WAL lets readers run beside the one writer. */
export async function prepareDatabase(sequelize: Sequelize): Promise<void> {
    if (sequelize.getDialect() === 'sqlite') {
        await sequelize.query('PRAGMA journal_mode = WAL');
    }
}
