import type { Sequelize, Transaction } from 'sequelize';

import { sequelizeError } from './driver-errors';
import { queueAloneForWriter, STATEMENT_READER_CONNECTION } from './sqlite-group-commit';
import { forget, preparedStatement, type PreparingConnection, type SqliteStatement } from './sqlite-prepared';

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
    /** An INSERT of one row, like run: the id the database gave it. */
    insert(sql: string, params: readonly DriverValue[], transaction?: Transaction): Promise<number>;
}

/** What a write statement did. */
interface Written {
    readonly changes: number;
    readonly lastId: number;
}

interface ConnectionManager {
    getConnection(options?: { uuid?: string }): Promise<unknown>;
    releaseConnection(connection: unknown): void;
}

interface MysqlConnection {
    execute(sql: string, params: readonly DriverValue[], callback: (error: Error | null, result: unknown) => void): void;
}

function sqliteStatements(sequelize: Sequelize): DriverStatements {
    const manager = sequelize.connectionManager as unknown as ConnectionManager;
    let reader: Promise<PreparingConnection> | undefined;
    /**
     * Reads outside a transaction share a connection of their own, in parallel mode: a statement
     * prepared for the first time there starts at once instead of waiting for a gap between the
     * others (see STATEMENT_READER_CONNECTION).
     */
    const statementReader = () => (reader ??= manager.getConnection({ uuid: STATEMENT_READER_CONNECTION }).then((connection) => {
        (connection as PreparingConnection).parallelize();
        return connection as PreparingConnection;
    }, (error: unknown) => {
        reader = undefined;
        throw error;
    }));
    const readerOr = async (transaction?: Transaction) => (transaction ? connectionOf(transaction) : statementReader());
    /** Runs `call` on the connection's prepared statement for `sql`; a failure drops the statement and comes out as Sequelize's error. */
    const onStatement = async <R>(connection: PreparingConnection, sql: string, call: (statement: SqliteStatement, settle: (error: Error | null, result?: R) => void) => void) => {
        try {
            const statement = await preparedStatement(connection, sql);
            return await new Promise<R>((resolve, reject) => call(statement, (error, result) => (error ? reject(error) : resolve(result as R))));
        }
        catch (error) {
            forget(connection, sql);
            throw sequelizeError(sequelize, connection, error as Error);
        }
    };
    const all = <T extends object>(connection: PreparingConnection, sql: string, params: readonly DriverValue[]) =>
        onStatement<T[]>(connection, sql, (statement, settle) => statement.all(params, (error, rows) => settle(error, rows as T[])));
    const write = (connection: PreparingConnection, sql: string, params: readonly DriverValue[]) =>
        onStatement<Written>(connection, sql, (statement, settle) => statement.run(params, function ran(error) {
            settle(error, { changes: this.changes, lastId: this.lastID });
        }));
    const written = (sql: string, params: readonly DriverValue[], transaction?: Transaction): Promise<Written> => (transaction
        ? write(connectionOf(transaction), sql, params)
        : queueAloneForWriter(sequelize, (writing) => write(connectionOf(writing), sql, params)) as Promise<Written>);
    return {
        async get<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction): Promise<T | undefined> {
            // Every row, never a statement stopped at its first (see sqlite-prepared.ts): the SELECTs read here name one row.
            return (await all<T>(await readerOr(transaction), sql, params))[0];
        },
        async all<T extends object>(sql: string, params: readonly DriverValue[], transaction?: Transaction) {
            return all<T>(await readerOr(transaction), sql, params);
        },
        async run(sql, params, transaction) {
            return (await written(sql, params, transaction)).changes;
        },
        async insert(sql, params, transaction) {
            return (await written(sql, params, transaction)).lastId;
        },
    };
}

const connectionOf = (transaction: Transaction) => (transaction as unknown as { connection: PreparingConnection }).connection;

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
        async insert(sql, params, transaction) {
            return ((await execute(sql, params, transaction)) as { insertId: number }).insertId;
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
