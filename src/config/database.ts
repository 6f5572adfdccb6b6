import Joi from 'joi';

import { databaseFromEnv, type DatabaseLocation } from '../../config/database';
import { boolean, problem, type ConfigSection } from './settings';

export type DatabaseConfig = DatabaseLocation & {
    readonly autoMigrate: boolean;
    /** MySQL: every statement (and every lock wait) is cut off after this. SQLite waits for its lock up to its busy timeout. */
    readonly statementTimeoutMs: number;
    /** MySQL: how long a request waits for a pooled connection before 503. */
    readonly poolAcquireTimeoutMs: number;
};

/** The variables that say where the database is (read by config/database.js, shared with sequelize-cli). */
const LOCATION_VARIABLES = ['DATABASE_URL', 'MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_DB_NAME', 'MYSQL_USERNAME', 'MYSQL_PASSWORD'];

export const database: ConfigSection<DatabaseConfig> = {
    keys: {
        DB_AUTO_MIGRATE: boolean(),
        // Both below the notify route's deadline: a stuck database answers FAIL before WeChat gives up.
        // A request queued for a connection outlasts one round of statement timeouts by default.
        DB_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(100).less(Joi.ref('NOTIFY_ROUTE_TIMEOUT_MS')).default(2000),
        DB_POOL_ACQUIRE_TIMEOUT_MS: Joi.number().integer().min(100).less(Joi.ref('NOTIFY_ROUTE_TIMEOUT_MS')).default(3000),
    },
    problems(settings) {
        try {
            databaseFromEnv(settings);
            return [];
        }
        catch (error) {
            return [problem(LOCATION_VARIABLES, (error as Error).message)];
        }
    },
    read: (settings, { isProduction }) => ({
        ...databaseFromEnv(settings),
        autoMigrate: settings.DB_AUTO_MIGRATE ?? !isProduction,
        statementTimeoutMs: settings.DB_STATEMENT_TIMEOUT_MS,
        poolAcquireTimeoutMs: settings.DB_POOL_ACQUIRE_TIMEOUT_MS,
    }),
};
