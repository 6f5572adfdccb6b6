// @ts-check
'use strict';
// Where the database is, read from the environment. Shared by the app (src/config/database.ts)
// and sequelize-cli (config/config.js), so both always open the same database.
const path = require('node:path');

/**
 * @typedef {{ readonly dialect: 'sqlite', readonly storage: string }} SqliteLocation
 * @typedef {{ readonly dialect: 'mysql', readonly host: string, readonly port: number,
 *   readonly database: string, readonly username: string, readonly password: string }} MysqlLocation
 * @typedef {SqliteLocation | MysqlLocation} DatabaseLocation
 */

const DEFAULT_DATABASE_URL = 'sqlite:data/dev.sqlite';

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {DatabaseLocation}
 */
function databaseFromEnv(env) {
    const url = env.DATABASE_URL || (env.MYSQL_HOST ? undefined : DEFAULT_DATABASE_URL);
    if (url === undefined) {
        return {
            dialect: 'mysql',
            host: env.MYSQL_HOST || '127.0.0.1',
            port: parsePort(env.MYSQL_PORT || '3306', 'MYSQL_PORT'),
            database: required(env.MYSQL_DB_NAME, 'MYSQL_DB_NAME'),
            username: required(env.MYSQL_USERNAME, 'MYSQL_USERNAME'),
            password: env.MYSQL_PASSWORD || '',
        };
    }
    if (url.startsWith('sqlite:')) {
        const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
        if (file === '' || file.includes(':memory:')) {
            throw new Error('DATABASE_URL must name a SQLite file, e.g. sqlite:data/dev.sqlite');
        }
        return { dialect: 'sqlite', storage: path.resolve(process.cwd(), file) };
    }
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new Error('DATABASE_URL must look like mysql://user:pass@host:3306/db or sqlite:path/to/file.sqlite');
    }
    if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
        throw new Error(`DATABASE_URL scheme "${parsed.protocol}" is not supported (mysql: or sqlite:)`);
    }
    return {
        dialect: 'mysql',
        host: parsed.hostname,
        port: parsePort(parsed.port || '3306', 'DATABASE_URL'),
        database: required(decodeURIComponent(parsed.pathname.slice(1)), 'DATABASE_URL (database name)'),
        username: decodeURIComponent(parsed.username) || 'root',
        password: decodeURIComponent(parsed.password),
    };
}

/**
 * @param {string | undefined} value
 * @param {string} name
 * @returns {string}
 */
function required(value, name) {
    if (!value) {
        throw new Error(`${name} is required`);
    }
    return value;
}

/**
 * @param {string} text
 * @param {string} name
 */
function parsePort(text, name) {
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${name} must hold a port number (1-65535)`);
    }
    return port;
}

module.exports = { databaseFromEnv };
