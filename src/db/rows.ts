import { QueryTypes, type Model, type ModelStatic, type Transaction } from 'sequelize';

// Hot-path statements that skip the ORM's instance building and per-call validation, for
// values the code itself wrote. Table and column names still come from the models, so the
// models (and the migrations) stay the schema's single source.

interface InsertQueryGenerator {
    insertQuery(table: unknown, values: Record<string, unknown>, attributes: unknown, options: object): { query: string; bind?: unknown[] };
}

/** The column behind a model attribute. */
export function columnOf<M extends Model>(model: ModelStatic<M>, attribute: string & keyof M['_attributes']): string {
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
    const [changed] = await model.update(values as never, { where, transaction, validate: false, hooks: false, fields: Object.keys(values) as never });
    return changed;
}
