import type { Sequelize, Transaction } from 'sequelize';

import { sequelizeError } from './driver-errors';
import { queueAloneForWriter } from './sqlite-group-commit';

// Statements handed to the driver (sqlite3, mysql2) on the connections Sequelize manages, for
// the hot paths: Sequelize's query() costs several times the driver's own work per statement
// (options cloning, a captured stack, result shaping). Failures still come out as Sequelize's
// errors (UniqueConstraintError, TimeoutError, DatabaseError with the driver's errno), so the
// one error table and the deadlock retry judge them as before.

/** A value as the driver binds it: the caller has already written dates and booleans as the column stores them. */
export type DriverValue = string | number | Buffer | null;

export interface DriverStatements {
    /** The first row of a SELECT, or undefined. */
    get<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction): Promise<T | undefined>;
    /** Every row of a SELECT. */
    all<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction): Promise<T[]>;
    /**
     * The rows an INSERT, UPDATE or DELETE changed. Outside a transaction it is a write of its
     * own: on SQLite queued for the writer like every write, on MySQL on a pooled connection.
     */
    run(sql: string, params: readonly DriverValue[], transaction?: Transaction): Promise<number>;
}

interface ConnectionManager {
    getConnection(options?: object): Promise<unknown>;
    releaseConnection(connection: unknown): void;
}

interface SqliteDatabase {
    get(sql: string, params: readonly DriverValue[], callback: (error: Error | null, row?: object) => void): void;
    all(sql: string, params: readonly DriverValue[], callback: (error: Error | null, rows: object[]) => void): void;
    run(sql: string, params: readonly DriverValue[], callback: (this: { changes: number }, error: Error | null) => void): void;
}

interface MysqlConnection {
    execute(sql: string, params: readonly DriverValue[], callback: (error: Error | null, result: unknown) => void): void;
}

function sqliteStatements(sequelize: Sequelize): DriverStatements {
    const manager = sequelize.connectionManager as unknown as ConnectionManager;
    const readerOr = async (transaction?: Transaction) => (transaction ? (transaction as unknown as { connection: SqliteDatabase }).connection : (await manager.getConnection()) as SqliteDatabase);
    const run = (connection: SqliteDatabase, sql: string, params: readonly DriverValue[]) => new Promise<number>((resolve, reject) => {
        connection.run(sql, params, function ran(error) {
            if (error) {
                reject(sequelizeError(sequelize, connection, error));
            }
            else {
                resolve(this.changes);
            }
        });
    });
    return {
        async get<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction) {
            const connection = await readerOr(transaction);
            return new Promise<T | undefined>((resolve, reject) => {
                connection.get(sql, params, (error, row) => (error ? reject(sequelizeError(sequelize, connection, error)) : resolve(row as T | undefined)));
            });
        },
        async all<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction) {
            const connection = await readerOr(transaction);
            return new Promise<T[]>((resolve, reject) => {
                connection.all(sql, params, (error, rows) => (error ? reject(sequelizeError(sequelize, connection, error)) : resolve(rows as T[])));
            });
        },
        async run(sql, params, transaction) {
            if (transaction) {
                return run((transaction as unknown as { connection: SqliteDatabase }).connection, sql, params);
            }
            return queueAloneForWriter(sequelize, (writing) => run((writing as unknown as { connection: SqliteDatabase }).connection, sql, params)) as Promise<number>;
        },
    };
}

function mysqlStatements(sequelize: Sequelize): DriverStatements {
    const manager = sequelize.connectionManager as unknown as ConnectionManager;
    const execute = async (sql: string, params: readonly DriverValue[], transaction?: Transaction) => {
        const connection = (transaction ? (transaction as unknown as { connection: MysqlConnection }).connection : await manager.getConnection()) as MysqlConnection;
        try {
            return await new Promise<unknown>((resolve, reject) => {
                connection.execute(sql, params, (error, result) => (error ? reject(sequelizeError(sequelize, connection, error)) : resolve(result)));
            });
        }
        finally {
            if (!transaction) {
                manager.releaseConnection(connection);
            }
        }
    };
    return {
        async get<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction) {
            return ((await execute(sql, params, transaction)) as Array<T | undefined>)[0];
        },
        async all<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction) {
            return (await execute(sql, params, transaction)) as T[];
        },
        async run(sql, params, transaction) {
            // The connections count changed rows, not matched ones (Sequelize connects with -FOUND_ROWS), as Model.update does.
            return ((await execute(sql, params, transaction)) as { affectedRows: number }).affectedRows;
        },
    };
}

const statementsOf = new WeakMap<Sequelize, DriverStatements>();

export function driverStatements(sequelize: Sequelize): DriverStatements {
    let statements = statementsOf.get(sequelize);
    if (!statements) {
        statements = sequelize.getDialect() === 'sqlite' ? sqliteStatements(sequelize) : mysqlStatements(sequelize);
        statementsOf.set(sequelize, statements);
    }
    return statements;
}
