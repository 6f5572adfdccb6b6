import { setTimeout as sleep } from 'node:timers/promises';

import { DatabaseError, type Model, type ModelStatic, type Transaction } from 'sequelize';

import { driverStatements, type DriverValue } from './driver';

// Hot-path statements that skip the ORM's instance building, per-call validation and query
// building, for values the code itself wrote; they go to the driver (driver.ts). Table and
// column names still come from the models, so the models (and the migrations) stay the
// schema's single source.

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

/** A model's attribute names. */
export type AttributeOf<M extends Model> = string & keyof M['_attributes'];

/** The column behind a model attribute. */
export function columnOf<M extends Model>(model: ModelStatic<M>, attribute: AttributeOf<M>): string {
    const definition = model.getAttributes()[attribute];
    if (!definition) {
        throw new Error(`${model.name} has no attribute ${attribute}`);
    }
    return definition.field ?? attribute;
}

/** A table, column or alias name, quoted as both dialects (SQLite, MySQL) take it. */
export const quoted = (name: string) => `\`${name}\``;

/** A model's table name, quoted. */
export const tableOf = (model: ModelStatic<Model>) => quoted(model.getTableName() as string);

/** A date written as text, in UTC (the timezone Sequelize is configured with here). */
type DateWriter = (date: Date) => string;

const UTC_DATE_TEXTS: readonly DateWriter[] = [
    (date) => `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 23)} +00:00`, // SQLite
    (date) => `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}`, // MySQL DATETIME
    (date) => `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 23)}`, // MySQL DATETIME(3)
];

/** By model class: each Sequelize instance (SQLite or MySQL, in one process in the tests) has classes of its own. */
const dateWriters = new WeakMap<ModelStatic<Model>, Map<string, DateWriter>>();

/**
 * How a date column is written, the way Sequelize writes it (its column type's stringify, through
 * moment, costs ~100 µs a date). One of the plain UTC texts when it gives exactly what Sequelize
 * gives for a probe date, else Sequelize's own.
 */
function dateWriterOf(model: ModelStatic<Model>, attribute: string): DateWriter {
    let writers = dateWriters.get(model);
    if (!writers) {
        writers = new Map();
        dateWriters.set(model, writers);
    }
    let writer = writers.get(attribute);
    if (!writer) {
        const type = model.getAttributes()[attribute]!.type as unknown as { stringify(value: Date, options: object): string };
        const options = { timezone: (model.sequelize as unknown as { options: { timezone: string } }).options.timezone };
        const sequelizes: DateWriter = (date) => type.stringify(date, options);
        const probe = new Date(Date.UTC(2001, 1, 3, 4, 5, 6, 789));
        writer = UTC_DATE_TEXTS.find((candidate) => candidate(probe) === sequelizes(probe)) ?? sequelizes;
        writers.set(attribute, writer);
    }
    return writer;
}

/** A value as its column stores it, the way Sequelize would have written it (a date as the dialect's date text, a boolean as 1 or 0). */
function storedValue(model: ModelStatic<Model>, attribute: string, value: unknown): DriverValue {
    if (value === null || value === undefined) {
        return null;
    }
    if (value instanceof Date) {
        return dateWriterOf(model, attribute)(value);
    }
    if (typeof value === 'boolean') {
        return value ? 1 : 0;
    }
    return value as DriverValue;
}

/** Statement texts by model class and the attributes they name: each is written once. */
const statementTexts = new WeakMap<ModelStatic<Model>, Map<string, string>>();

function statementText(model: ModelStatic<Model>, key: string, write: () => string): string {
    let texts = statementTexts.get(model);
    if (!texts) {
        texts = new Map();
        statementTexts.set(model, texts);
    }
    let text = texts.get(key);
    if (text === undefined) {
        text = write();
        texts.set(key, text);
    }
    return text;
}

/** `SELECT <attributes> FROM <table> WHERE <attribute> = ?`, written once. */
export function selectByStatement<M extends Model>(model: ModelStatic<M>, attributes: ReadonlyArray<AttributeOf<M>>, by: AttributeOf<M>): string {
    const list = attributes.map((attribute) => `\`${columnOf(model, attribute)}\` AS \`${attribute}\``).join(', ');
    return `SELECT ${list} FROM \`${model.getTableName() as string}\` WHERE \`${columnOf(model, by)}\` = ? LIMIT 1`;
}

/** Runs a statement from selectByStatement: the row, or undefined. */
export function selectOne<T extends object>(model: ModelStatic<Model>, sql: string, value: string | number, transaction?: Transaction): Promise<T | undefined> {
    return driverStatements(model.sequelize!).get<T>(sql, [value], transaction);
}

/** Runs a SELECT written once (`?` parameters: plain values, or dates and booleans written by `storedAs`): every row. */
export function selectRows<T extends object>(model: ModelStatic<Model>, sql: string, values: readonly DriverValue[], transaction?: Transaction): Promise<T[]> {
    return driverStatements(model.sequelize!).all<T>(sql, values, transaction);
}

/** A parameter compared with (or written to) an attribute's column, as that column stores it. */
export function storedAs<M extends Model>(model: ModelStatic<M>, attribute: AttributeOf<M>, value: unknown): DriverValue {
    return storedValue(model as ModelStatic<Model>, attribute, value);
}

/**
 * LIMIT and OFFSET as parameters the dialect takes: MySQL 8 refuses a number (mysql2 sends it
 * as a DOUBLE) for them and takes its text, while SQLite misreads a text.
 */
export function limitParams(model: ModelStatic<Model>, limit: number, offset: number): [number, number] | [string, string] {
    return model.sequelize!.getDialect() === 'sqlite' ? [limit, offset] : [String(limit), String(offset)];
}

/**
 * A DATE column as a raw SELECT returns it: mysql2 (through Sequelize's type cast) gives a
 * Date, SQLite the text Sequelize stored, which always carries its offset.
 */
export function dateOf(value: Date | string): Date;
export function dateOf(value: Date | string | null): Date | null;
export function dateOf(value: Date | string | null): Date | null {
    return typeof value === 'string' ? new Date(value) : value;
}

/**
 * Runs a conditional UPDATE written once (`?` parameters as selectRows takes them, names from
 * the models) as one autocommit statement, retried on deadlock: the rows it changed, on both dialects.
 */
export async function updateByStatement(model: ModelStatic<Model>, sql: string, values: readonly DriverValue[]): Promise<number> {
    return retryOnDeadlock(() => driverStatements(model.sequelize!).run(sql, values));
}

/** INSERT of one row, attributes mapped to columns, timestamps set; no instance, no validation. The row's id. */
export async function insertRow<M extends Model>(model: ModelStatic<M>, values: Partial<Record<AttributeOf<M>, unknown>>, transaction?: Transaction): Promise<number> {
    const now = new Date();
    const row: Record<string, unknown> = { createdAt: now, updatedAt: now, ...values };
    const attributes = Object.keys(row);
    const sql = statementText(model, `insert ${attributes.join(',')}`, () => {
        const columns = attributes.map((attribute) => `\`${columnOf(model, attribute as never)}\``).join(', ');
        return `INSERT INTO \`${model.getTableName() as string}\` (${columns}) VALUES (${attributes.map(() => '?').join(', ')})`;
    });
    return driverStatements(model.sequelize!).insert(sql, attributes.map((attribute) => storedValue(model, attribute, row[attribute])), transaction);
}

type Where<M extends Model> = NonNullable<Parameters<ModelStatic<M>['update']>[1]>['where'];

/** A value the driver can bind (no literal, function or operator for Sequelize to write out). */
const isPlainValue = (value: unknown) => value === null || (value !== undefined && typeof value !== 'object') || value instanceof Date || Buffer.isBuffer(value);

/** Plain values, and a WHERE of plain equalities (`attribute: value`, null meaning IS NULL): the driver can take them as they are. */
function plain(values: object, where: object): where is Record<string, unknown> {
    return Object.getOwnPropertySymbols(where).length === 0 && Object.values(where).every(isPlainValue) && Object.values(values).every(isPlainValue);
}

/**
 * A conditional UPDATE of the values the code itself wrote, judged by the rows it changed:
 * Model.update without the instance it builds to validate them. Plain values and a WHERE of
 * plain equalities go straight to the driver; operators and literals through Model.update.
 */
export async function updateWhere<M extends Model>(model: ModelStatic<M>, values: Partial<M['_attributes']>, where: Where<M>, transaction?: Transaction): Promise<number> {
    const update = plain(values, where as object)
        ? () => updateEqualities(model, 'updatedAt' in model.getAttributes() ? { ...values, updatedAt: new Date() } : values, where as Record<string, unknown>, transaction)
        : async () => (await model.update(values as never, { where, transaction, validate: false, hooks: false, fields: Object.keys(values) as never }))[0];
    // Inside a transaction the whole transaction is what must run again: its caller retries it.
    return transaction === undefined ? retryOnDeadlock(update) : update();
}

function updateEqualities<M extends Model>(model: ModelStatic<M>, values: Record<string, unknown>, where: Record<string, unknown>, transaction?: Transaction): Promise<number> {
    const setting = Object.keys(values);
    const matching = Object.keys(where);
    const sql = statementText(model, `update ${setting.join(',')} where ${matching.map((attribute) => `${attribute}${where[attribute] === null ? ' null' : ''}`).join(',')}`, () => {
        const assignments = setting.map((attribute) => `\`${columnOf(model, attribute as never)}\` = ?`).join(', ');
        const conditions = matching.map((attribute) => `\`${columnOf(model, attribute as never)}\` ${where[attribute] === null ? 'IS NULL' : '= ?'}`).join(' AND ');
        return `UPDATE \`${model.getTableName() as string}\` SET ${assignments} WHERE ${conditions}`;
    });
    const params = [
        ...setting.map((attribute) => storedValue(model, attribute, values[attribute])),
        ...matching.filter((attribute) => where[attribute] !== null).map((attribute) => storedValue(model, attribute, where[attribute])),
    ];
    return driverStatements(model.sequelize!).run(sql, params, transaction);
}
