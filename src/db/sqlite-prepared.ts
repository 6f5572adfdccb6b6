import type { DriverValue } from './driver';

// sqlite3's Database#run and #all prepare a statement, step it and finalize it: three hops to
// the thread pool, each with its own callback on the main thread. A statement prepared once
// per connection and SQL text runs in one, about half the CPU of a hot-path statement.
// Only run and all are offered: both step a statement to its end, so no statement is left
// in progress between calls (one stopped at its first row would hold its read transaction,
// and its snapshot of the database, open until the next call).

export interface SqliteStatement {
    run(params: readonly DriverValue[], callback: (this: { changes: number; lastID: number }, error: Error | null) => void): void;
    all(params: readonly DriverValue[], callback: (error: Error | null, rows: object[]) => void): void;
    finalize(callback: () => void): void;
}

export interface PreparingConnection {
    prepare(sql: string, callback: (error: Error | null) => void): SqliteStatement;
    /** Statements no longer wait for each other to be prepared (sqlite3's serialize mode off). */
    parallelize(): void;
    close(callback?: (error: Error | null) => void): void;
}

const preparedOn = new WeakMap<PreparingConnection, Map<string, Promise<SqliteStatement>>>();

/**
 * The connection's statement for `sql`, prepared on first use. A statement whose call failed
 * is dropped (see `forget`) and prepared afresh next time. Closing the connection finalizes its
 * statements first: SQLite refuses to close a connection that still has some.
 */
export function preparedStatement(connection: PreparingConnection, sql: string): Promise<SqliteStatement> {
    let statements = preparedOn.get(connection);
    if (statements === undefined) {
        statements = new Map();
        preparedOn.set(connection, statements);
        finalizeBeforeClose(connection, statements);
    }
    let statement = statements.get(sql);
    if (statement === undefined) {
        const preparing = new Promise<SqliteStatement>((resolve, reject) => {
            const prepared = connection.prepare(sql, (error) => (error ? reject(error) : resolve(prepared)));
        });
        statements.set(sql, preparing);
        preparing.catch(() => statements.delete(sql));
        statement = preparing;
    }
    return statement;
}

/** Drops and finalizes the statement for `sql` after a failed call, whatever state the failure left it in. */
export function forget(connection: PreparingConnection, sql: string): void {
    const statements = preparedOn.get(connection);
    const statement = statements?.get(sql);
    statements?.delete(sql);
    statement?.then((prepared) => prepared.finalize(() => undefined), () => undefined);
}

function finalizeBeforeClose(connection: PreparingConnection, statements: Map<string, Promise<SqliteStatement>>): void {
    const close = connection.close.bind(connection);
    connection.close = (callback) => {
        const finalizing = [...statements.values()].map((statement) => statement.then(
            (prepared) => new Promise<void>((resolve) => prepared.finalize(resolve)),
            () => undefined,
        ));
        statements.clear();
        void Promise.all(finalizing).then(() => close(callback));
    };
}
