import type { Sequelize } from 'sequelize';

/**
 * Sequelize's own translation of a driver error into its error classes (UniqueConstraintError,
 * TimeoutError, DatabaseError with the driver's errno), for statements sent to the driver
 * directly: the one error table and the deadlock retry judge them as Sequelize's own.
 */
export function sequelizeError(sequelize: Sequelize, connection: unknown, error: Error): Error {
    const Query = ((sequelize as unknown as { dialect: unknown }).dialect as { Query: new (connection: unknown, sequelize: Sequelize, options: object) => { formatError(error: Error, stack?: string): Error } }).Query;
    return new Query(connection, sequelize, {}).formatError(error, error.stack);
}
