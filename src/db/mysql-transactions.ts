import { Transaction, type Sequelize, type TransactionOptions } from 'sequelize';

import { sequelizeError } from './driver-errors';

// A MySQL transaction's START TRANSACTION and COMMIT are two statements; through Sequelize's
// query() they cost about two thirds of a millisecond of CPU together, more than the
// statements of a notification themselves. Managed transactions with no options (every one this
// code opens) send them to the driver; the work still gets a real Sequelize Transaction on its
// own pooled connection, so Model calls inside it behave as before.

type Work = (transaction: Transaction) => Promise<unknown>;

interface Pool {
    getConnection(options: { uuid: string }): Promise<MysqlConnection>;
    releaseConnection(connection: MysqlConnection): void;
    destroyConnection(connection: MysqlConnection): Promise<void>;
}

interface MysqlConnection {
    uuid?: string;
    query(sql: string, callback: (error: Error | null) => void): void;
}

interface Begin {
    (options?: TransactionOptions): Promise<Transaction>;
    (options: TransactionOptions | undefined, work: Work): Promise<unknown>;
}

export function leanTransactions(sequelize: Sequelize): Sequelize {
    const pool = sequelize.connectionManager as unknown as Pool;
    const sequelizes = sequelize.transaction.bind(sequelize) as Begin;
    const send = (connection: MysqlConnection, sql: string) => new Promise<void>((resolve, reject) => {
        connection.query(sql, (error) => (error ? reject(sequelizeError(sequelize, connection, error)) : resolve()));
    });

    async function managed(work: Work): Promise<unknown> {
        const transaction = new Transaction(sequelize, {});
        const { id } = transaction as unknown as { id: string };
        const connection = await pool.getConnection({ uuid: id });
        connection.uuid = id;
        (transaction as unknown as { connection: MysqlConnection }).connection = connection;
        const release = () => {
            connection.uuid = undefined;
            pool.releaseConnection(connection);
        };
        // A connection left in a transaction of unknown state is closed, never pooled (as Sequelize does).
        const discard = async () => {
            connection.uuid = undefined;
            await pool.destroyConnection(connection).catch(() => undefined);
        };
        try {
            await send(connection, 'START TRANSACTION');
        }
        catch (error) {
            await discard();
            throw error;
        }
        let value: unknown;
        try {
            value = await work(transaction);
        }
        catch (error) {
            (transaction as unknown as { finished: string }).finished = 'rollback';
            await send(connection, 'ROLLBACK').then(release, discard);
            throw error;
        }
        try {
            await send(connection, 'COMMIT');
        }
        catch (error) {
            await discard();
            throw error;
        }
        (transaction as unknown as { finished: string }).finished = 'commit';
        release();
        for (const hook of (transaction as unknown as { _afterCommitHooks: Work[] })._afterCommitHooks) {
            await hook(transaction);
        }
        return value;
    }

    sequelize.transaction = ((optionsOrWork?: TransactionOptions | Work, maybeWork?: Work) => {
        if (typeof optionsOrWork === 'function') {
            return managed(optionsOrWork);
        }
        // With options (a parent, an isolation level, read-only) or unmanaged: Sequelize's own.
        return maybeWork === undefined ? sequelizes(optionsOrWork) : sequelizes(optionsOrWork, maybeWork);
    }) as Sequelize['transaction'];
    return sequelize;
}
