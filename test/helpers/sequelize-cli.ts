import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import type { TestDatabase } from './databases';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** sequelize-cli as `npm run db:migrate` runs it (e.g. `db:migrate --to <file>`), pointed at the test database. */
export function sequelizeCli(database: TestDatabase, ...args: string[]) {
    return run('npx', ['--no-install', 'sequelize-cli', ...args], {
        cwd: ROOT, env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' }, timeout: 60_000,
    });
}
