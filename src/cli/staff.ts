import { parseArgs } from 'node:util';

import Boom from '@hapi/boom';
import dotenv from 'dotenv';

import { loadConfig } from '../config';
import { migrate } from '../db/migrator';
import { createSequelize, prepareDatabase } from '../db/sequelize';
import { StaffStore } from '../db/staff';
import { initModels } from '../models';
import { STAFF_NAME_PATTERN, STAFF_ROLES, type StaffRole } from '../models/staff';
import { StaffAccounts } from '../services/staff/accounts';
import { weakPasswordReason } from '../services/staff/passwords';
import { readPassword } from './password-prompt';

// npm run staff -- create --name alice [--role owner|operator|finance]
//                  list | disable --name bob | enable --name bob | reset-password --name bob
// The password is asked twice without echo on a terminal, or read from stdin's first line.
// Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 usage.

const USAGE = `usage: npm run staff -- <command> [options]
  create --name NAME [--role owner|operator|finance]   a staff member with a password you type (or pipe in)
                                                        (the first one is the owner; another owner needs --role owner)
  list                                                  every staff member
  disable --name NAME | enable --name NAME              refuse (or allow again) their sign-in; disabling ends their sessions
  reset-password --name NAME                            a new password you type (or pipe in); their sessions end
`;

class UsageError extends Error {}

async function main(): Promise<number> {
    const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, role: { type: 'string' } } });
    const [command] = positionals;
    if (command === undefined || !['create', 'list', 'disable', 'enable', 'reset-password'].includes(command)) {
        throw new UsageError(command === undefined ? 'a command is needed' : `unknown command ${command}`);
    }
    dotenv.config({ quiet: true });
    const config = loadConfig(process.env);
    const sequelize = createSequelize(config.database);
    try {
        await prepareDatabase(sequelize);
        if (config.database.autoMigrate) {
            await migrate(sequelize);
        }
        const accounts = new StaffAccounts(new StaffStore(initModels(sequelize)));
        return await run(command, values, accounts);
    }
    finally {
        await sequelize.close();
    }
}

async function run(command: string, options: { name?: string; role?: string }, accounts: StaffAccounts): Promise<number> {
    if (command === 'list') {
        const staff = await accounts.list();
        const rows = staff.map((one) => [String(one.id), one.name, one.role, one.disabledAt ? 'disabled' : one.passwordChangeRequired ? 'must change password' : 'active']);
        const header = ['id', 'name', 'role', 'state'];
        const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
        const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
        process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
        return 0;
    }
    const name = options.name?.trim().toLowerCase();
    if (name === undefined || !STAFF_NAME_PATTERN.test(name)) {
        throw new UsageError('--name is needed: 2-32 of a-z 0-9 . _ -, starting with a letter or digit');
    }
    if (command === 'create') {
        const role = await roleFor(options.role, accounts);
        const password = await newPassword(name);
        const { staff } = await accounts.create({ name, role, password });
        process.stdout.write(`created ${staff.role} ${staff.name} (id ${staff.id})\n`);
        return 0;
    }
    const staff = await accounts.byName(name);
    if (staff === undefined) {
        throw Boom.notFound(`no staff member named ${name}`);
    }
    if (command === 'reset-password') {
        await accounts.setPassword(staff.id, await newPassword(name));
        process.stdout.write(`password of ${name} changed; their sessions ended\n`);
        return 0;
    }
    await accounts.setDisabled(staff.id, command === 'disable');
    process.stdout.write(`${name} ${command}d${command === 'disable' ? '; their sessions ended' : ''}\n`);
    return 0;
}

/** The first staff member is the owner; another owner only when asked for by name (--role owner). */
async function roleFor(given: string | undefined, accounts: StaffAccounts): Promise<StaffRole> {
    if (given !== undefined) {
        if (!(STAFF_ROLES as readonly string[]).includes(given)) {
            throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
        }
        return given as StaffRole;
    }
    if (await accounts.countActiveOwners() > 0) {
        throw new UsageError('an owner exists already: pass --role owner to make another, or --role operator / --role finance');
    }
    return 'owner';
}

/** Asked twice on a terminal (they must match); from stdin's first line otherwise. Refused when weak. */
async function newPassword(name: string): Promise<string> {
    const password = await readPassword('Password: ', 'Again: ');
    const reason = weakPasswordReason(password, name);
    if (reason !== undefined) {
        throw Boom.badRequest(reason);
    }
    return password;
}

main().then((code) => {
    process.exitCode = code;
}, (error: unknown) => {
    if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n${USAGE}`);
        process.exitCode = 2;
        return;
    }
    process.stderr.write(`staff: ${(error as Error).message}\n`);
    process.exitCode = 1;
});
