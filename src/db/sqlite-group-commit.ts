import { QueryTypes, TimeoutError, Transaction, type Sequelize, type TransactionOptions } from 'sequelize';

import { sequelizeError } from './driver-errors';

// SQLite has one writer, and each commit waits for the disk (fsync). Here every write of this
// process (managed transactions and autocommit INSERT / UPDATE / DELETE alike) queues for the one
// connection that writes, and what queued while a commit was on its way shares the next one:
// BEGIN IMMEDIATE, each unit of work in turn (a transaction under a savepoint of its own), one
// COMMIT. A unit's promise settles only once that COMMIT is durable, so nothing is acknowledged
// that a crash could lose; a unit that fails is rolled back to its savepoint and the rest commit.

/** Units one commit may carry: enough to share the fsync widely, few enough that none waits long behind the rest. */
const MAX_UNITS_PER_COMMIT = 64;

/** Statement types Sequelize gives to writes (Model.create, update, destroy, bulkCreate, upsert; rows.ts). */
const WRITE_TYPES: ReadonlySet<string> = new Set([QueryTypes.INSERT, QueryTypes.UPDATE, QueryTypes.BULKUPDATE, QueryTypes.BULKDELETE, QueryTypes.DELETE, QueryTypes.UPSERT]);

type Work = (transaction: Transaction) => Promise<unknown>;

interface Unit {
    readonly work: Work;
    /** One statement: SQLite undoes a failed statement by itself, so it needs no savepoint. */
    readonly singleStatement: boolean;
    /** Fails the unit as a busy database does if it has not started by then; cleared when it starts. */
    timer: NodeJS.Timeout | undefined;
    /** The timer fired: the unit has failed and must not run. */
    expired: boolean;
    resolve(value: unknown): void;
    reject(error: unknown): void;
}

interface Begin {
    (options?: TransactionOptions): Promise<Transaction>;
    (options: TransactionOptions | undefined, work: Work): Promise<unknown>;
}

interface RawConnection {
    uuid?: string;
    exec(sql: string, callback: (error: Error | null) => void): void;
}

interface SqliteConnectionManager {
    getConnection(options?: { uuid?: string }): Promise<RawConnection>;
    releaseConnection(connection: RawConnection): void;
}

/** The uuid under which Sequelize's SQLite dialect keeps the one connection every write shares. */
const WRITER_CONNECTION = 'writer';

/**
 * The uuid of the connection the driver's prepared reads share (driver.ts), apart from the
 * 'default' one Sequelize reads on. The app's SQLite connections open in sqlite3's serialize mode
 * (sequelize.ts), where a statement that still has to be prepared (every one Sequelize runs) waits
 * until the connection has none in flight, while a prepared statement starts at once. On one
 * connection a steady stream of prepared reads kept it from ever being idle, and a Sequelize read
 * (a token's user after its cache entry expired) waited seconds for a gap, stalling every request
 * that needed it.
 */
export const STATEMENT_READER_CONNECTION = 'statement-reader';

type QueryOptions = { transaction?: Transaction | null; type?: string } | undefined;

/** What the queue answers when a unit could not start in time: Sequelize's own error for SQLITE_BUSY (503). */
function busy(waitedMs: number): TimeoutError {
    return new TimeoutError(Object.assign(new Error(`SQLITE_BUSY: no turn to write within ${waitedMs} ms`), { code: 'SQLITE_BUSY', sql: '' }));
}

/**
 * Makes `sequelize` (SQLite) write through one queued connection with group commit.
 * Transactions must be managed (with a callback): an unmanaged one could not be queued.
 * A unit that has waited `startTimeoutMs` without starting fails with SQLITE_BUSY, so a write
 * issued outside its own transaction from inside one (which would wait for itself) errs instead of hanging.
 */
export function groupCommits(sequelize: Sequelize, startTimeoutMs: number): Sequelize {
    const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
    const getConnection = manager.getConnection.bind(manager);
    const releaseConnection = manager.releaseConnection.bind(manager);
    let writer: RawConnection | undefined;
    // Sequelize opens a connection per transaction and closes it at COMMIT; the writer stays open instead.
    manager.getConnection = async (options) => {
        if (options?.uuid === undefined || options.uuid === 'default' || options.uuid === STATEMENT_READER_CONNECTION) {
            return getConnection(options);
        }
        writer = await getConnection({ ...options, uuid: WRITER_CONNECTION });
        return writer;
    };
    manager.releaseConnection = (connection) => {
        if (connection !== writer) {
            releaseConnection(connection);
        }
    };

    const transaction = sequelize.transaction.bind(sequelize) as Begin;
    const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: QueryOptions) => Promise<unknown>;
    const pending: Unit[] = [];
    let draining = false;
    // The batch's own statements (BEGIN, SAVEPOINT, COMMIT) go to the driver: through Sequelize's
    // query() each would cost several times its work. Failures still come out as Sequelize's errors.
    const exec = (connection: RawConnection, sql: string) => new Promise<void>((resolve, reject) => {
        connection.exec(sql, (error) => (error ? reject(sequelizeError(sequelize, connection, error)) : resolve()));
    });

    /** A Sequelize Transaction on the writer, not yet begun. */
    async function onWriter(): Promise<Transaction> {
        const outer = new Transaction(sequelize, {});
        const { id } = outer as unknown as { id: string };
        const connection = await manager.getConnection({ uuid: id });
        connection.uuid = id;
        (outer as unknown as { connection: RawConnection }).connection = connection;
        return outer;
    }

    /** A Sequelize Transaction on the writer, begun IMMEDIATE: the write lock is taken up front. */
    async function beginOnWriter(): Promise<Transaction> {
        const outer = await onWriter();
        await exec((outer as unknown as { connection: RawConnection }).connection, 'BEGIN IMMEDIATE');
        return outer;
    }

    /** Ends the batch's transaction; a failed COMMIT (SQLITE_BUSY, I/O) may leave it open, so it is rolled back. */
    async function finish(outer: Transaction, ending: 'COMMIT' | 'ROLLBACK'): Promise<void> {
        const connection = (outer as unknown as { connection: RawConnection }).connection;
        try {
            await exec(connection, ending);
        }
        catch (error) {
            await exec(connection, 'ROLLBACK').catch(() => undefined);
            throw error;
        }
        finally {
            (outer as unknown as { finished: string }).finished = ending === 'COMMIT' ? 'commit' : 'rollback';
        }
    }

    const enqueue = (work: Work, singleStatement: boolean) => new Promise<unknown>((resolve, reject) => {
        const unit: Unit = { work, singleStatement, timer: undefined, expired: false, resolve, reject };
        unit.timer = setTimeout(() => {
            unit.expired = true;
            const waiting = pending.indexOf(unit);
            if (waiting >= 0) {
                pending.splice(waiting, 1);
            }
            reject(busy(startTimeoutMs));
        }, startTimeoutMs);
        pending.push(unit);
        if (!draining) {
            draining = true;
            void drain();
        }
    });

    async function drain(): Promise<void> {
        try {
            while (pending.length > 0) {
                await commitTogether(takeBatch());
            }
        }
        finally {
            draining = false;
        }
    }

    const takeBatch = () => pending.splice(0, MAX_UNITS_PER_COMMIT);

    /** Runs `unit` inside `outer`; a failure it could not undo cleanly spoils the whole batch. */
    async function runUnit(unit: Unit, outer: Transaction): Promise<{ readonly value: unknown } | { readonly error: unknown; readonly spoiled: boolean }> {
        if (unit.singleStatement) {
            try {
                return { value: await unit.work(outer) };
            }
            catch (error) {
                return { error, spoiled: false };
            }
        }
        const connection = (outer as unknown as { connection: RawConnection }).connection;
        await exec(connection, 'SAVEPOINT unit');
        try {
            // The unit runs in the batch's transaction, under its savepoint.
            return { value: await unit.work(outer) };
        }
        catch (error) {
            try {
                // The most recent savepoint of that name: this unit's.
                await exec(connection, 'ROLLBACK TO unit');
                return { error, spoiled: false };
            }
            catch {
                return { error, spoiled: true };
            }
        }
    }

    /**
     * A batch of one statement runs as SQLite's autocommit statement: that is a transaction of its
     * own, committed (durably, as any COMMIT here) before the statement reports done, and undone by
     * SQLite if it fails. It saves the BEGIN and COMMIT, two of the three hops to the thread pool;
     * with commits this quick, most writes at a handful of connections travel alone.
     */
    async function runAlone(unit: Unit): Promise<void> {
        clearTimeout(unit.timer);
        let outer: Transaction;
        try {
            outer = await onWriter();
        }
        catch (error) {
            unit.reject(error);
            return;
        }
        try {
            unit.resolve(await unit.work(outer));
            (outer as unknown as { finished: string }).finished = 'commit';
        }
        catch (error) {
            (outer as unknown as { finished: string }).finished = 'rollback';
            unit.reject(error);
        }
    }

    async function commitTogether(batch: Unit[]): Promise<void> {
        const live = batch.filter((unit) => !unit.expired);
        if (live.length === 0) {
            return;
        }
        if (live.length === 1 && live[0]!.singleStatement) {
            return runAlone(live[0]!);
        }
        let outer: Transaction;
        try {
            outer = await beginOnWriter();
        }
        catch (error) {
            batch.filter((unit) => !unit.expired).forEach((unit) => {
                clearTimeout(unit.timer);
                unit.reject(error);
            });
            return;
        }
        const done: Array<{ readonly unit: Unit; readonly value: unknown }> = [];
        let failed: { readonly unit: Unit; readonly error: unknown; readonly spoiled: boolean } | undefined;
        let next = 0;
        while (next < batch.length && failed === undefined) {
            const unit = batch[next]!;
            next += 1;
            if (unit.expired) {
                continue;
            }
            clearTimeout(unit.timer);
            const ran = await runUnit(unit, outer).catch((error: unknown) => ({ error, spoiled: true }));
            if ('value' in ran) {
                done.push({ unit, value: ran.value });
            }
            else {
                failed = { unit, ...ran };
            }
        }
        // After a failure the batch ends (a failure may have ended SQLite's transaction, and a unit
        // run after it would then write outside the batch); the units not run go first next time.
        pending.unshift(...batch.slice(next).filter((unit) => !unit.expired));

        if (failed?.spoiled) {
            await finish(outer, 'ROLLBACK').catch(() => undefined);
            done.forEach(({ unit }) => unit.reject(failed!.error));
            failed.unit.reject(failed.error);
            return;
        }
        try {
            await finish(outer, 'COMMIT');
        }
        catch (error) {
            // Nothing of the batch is durable: every unit in it failed, whatever it returned.
            done.forEach(({ unit }) => unit.reject(error));
            failed?.unit.reject(failed.error);
            return;
        }
        done.forEach(({ unit, value }) => unit.resolve(value));
        failed?.unit.reject(failed.error);
    }

    sequelize.transaction = ((optionsOrWork?: TransactionOptions | Work, maybeWork?: Work) => {
        const [options, work] = typeof optionsOrWork === 'function' ? [undefined, optionsOrWork] : [optionsOrWork, maybeWork];
        if (!work) {
            throw new Error('SQLite: only managed transactions (with a callback) can be queued for the writer');
        }
        if (options?.transaction) {
            // Nested in a unit that is already running: a savepoint of it, as Sequelize makes.
            return transaction(options, work);
        }
        // Options other than a parent do not apply: every write here is serializable, begun IMMEDIATE.
        return enqueue(work, false);
    }) as Sequelize['transaction'];

    sequelize.query = ((sql: unknown, options?: QueryOptions) => {
        if (!options?.transaction && options?.type !== undefined && WRITE_TYPES.has(options.type)) {
            return enqueue((writing) => query(sql, { ...options, transaction: writing }), true);
        }
        return query(sql, options);
    }) as Sequelize['query'];

    aloneForWriter.set(sequelize, (work) => enqueue(work, true));
    return sequelize;
}

const aloneForWriter = new WeakMap<Sequelize, (work: Work) => Promise<unknown>>();

/** One statement written on its own (no savepoint), in the writer's next commit. */
export function queueAloneForWriter(sequelize: Sequelize, work: Work): Promise<unknown> {
    const queue = aloneForWriter.get(sequelize);
    if (!queue) {
        throw new Error('queueAloneForWriter: this Sequelize does not group SQLite commits');
    }
    return queue(work);
}
