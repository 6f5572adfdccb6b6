import { setTimeout as sleep } from 'node:timers/promises';

import { DatabaseError, QueryTypes, type Model, type ModelStatic, type Transaction } from 'sequelize';

// Hot-path statements that skip the ORM's instance building and per-call validation, for
// values the code itself wrote. Table and column names still come from the models, so the
// models (and the migrations) stay the schema's single source.

interface InsertQueryGenerator {
    insertQuery(table: unknown, values: Record<string, unknown>, attributes: unknown, options: object): { query: string; bind?: unknown[] };
}

/** InnoDB's ER_LOCK_DEADLOCK: it rolled the statement's transaction back, and says to run it again. */
const MYSQL_DEADLOCK = 1213;
const DEADLOCK_ATTEMPTS = 4;

function isDeadlock(error: unknown): boolean {
    return error instanceof DatabaseError && (error.parent as { errno?: number }).errno === MYSQL_DEADLOCK;
}

/**
 * Runs `work` (one autocommit statement, or a whole managed transaction: never a statement
 * inside a transaction) again when InnoDB picks it as a deadlock's victim. On a small table
 * MySQL may read `WHERE id = ? AND status = ?` through the status index, and two conditional
 * UPDATEs of one order then deadlock on its gap locks; InnoDB asks for exactly this retry.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
        try {
            return await work();
        }
        catch (error) {
            if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) {
                throw error;
            }
            await sleep(Math.random() * 10 * attempt);
        }
    }
}

/** The column behind a model attribute. */
function columnOf<M extends Model>(model: ModelStatic<M>, attribute: string & keyof M['_attributes']): string {
    const definition = model.getAttributes()[attribute];
    if (!definition) {
        throw new Error(`${model.name} has no attribute ${attribute}`);
    }
    return definition.field ?? attribute;
}

/**
 * `SELECT <attributes> FROM <table> WHERE <attribute> = ?`, written once. Unquoted names on
 * purpose: Sequelize's SQLite dialect runs `PRAGMA table_info` before any SELECT that names
 * its table in backquotes.
 */
export function selectByStatement<M extends Model>(model: ModelStatic<M>, attributes: ReadonlyArray<string & keyof M['_attributes']>, by: string & keyof M['_attributes']): string {
    const list = attributes.map((attribute) => `${columnOf(model, attribute)} AS ${attribute}`).join(', ');
    return `SELECT ${list} FROM ${model.getTableName() as string} WHERE ${columnOf(model, by)} = ? LIMIT 1`;
}

/** Runs a statement from selectByStatement: the row, or undefined. */
export async function selectOne<T extends object>(model: ModelStatic<Model>, sql: string, value: string | number, transaction?: Transaction): Promise<T | undefined> {
    const rows = await model.sequelize!.query<T>(sql, { type: QueryTypes.SELECT, replacements: [value], transaction });
    return rows[0];
}

/** INSERT of one row, attributes mapped to columns, timestamps set; no instance, no validation. */
export async function insertRow<M extends Model>(model: ModelStatic<M>, values: Partial<Record<string & keyof M['_attributes'], unknown>>, transaction?: Transaction): Promise<void> {
    const now = new Date();
    const row: Record<string, unknown> = { [columnOf(model, 'createdAt' as never)]: now, [columnOf(model, 'updatedAt' as never)]: now };
    for (const [attribute, value] of Object.entries(values)) {
        row[columnOf(model, attribute as never)] = value;
    }
    // With the model's attributes the generator writes each value as its column's type (a Date as
    // the dialect's date text, not as a bound number).
    const generator = model.sequelize!.getQueryInterface().queryGenerator as InsertQueryGenerator;
    const { query, bind } = generator.insertQuery(model.getTableName(), row, model.getAttributes(), {});
    await model.sequelize!.query(query, { bind, type: QueryTypes.INSERT, transaction });
}

/**
 * A conditional UPDATE of the values the code itself wrote, judged by the rows it changed:
 * Model.update without the instance it builds to validate them.
 */
export async function updateWhere<M extends Model>(
    model: ModelStatic<M>,
    values: Partial<M['_attributes']>,
    where: NonNullable<Parameters<ModelStatic<M>['update']>[1]>['where'],
    transaction?: Transaction,
): Promise<number> {
    const update = async () => (await model.update(values as never, { where, transaction, validate: false, hooks: false, fields: Object.keys(values) as never }))[0];
    // Inside a transaction the whole transaction is what must run again: its caller retries it.
    return transaction === undefined ? retryOnDeadlock(update) : update();
}
