import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';

// npm run staff: the first owner is made from the command line with the app's configuration and
// database, never by a default password; the password comes from stdin in scripts.

const CLI = path.join(__dirname, '../../src/cli/staff.ts');

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function staffCommand(database: TestDatabase, args: readonly string[], stdin = ''): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
            env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
            stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin);
    });
}

const signIn = (app: TestApp, name: string, password: string) => app.inject({ method: 'POST', url: '/admin/session', payload: { name, password } });

for (const { kind, create } of databaseKinds()) {
    describe(`npm run staff on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;

        before(async () => {
            database = await create();
        });
        after(async () => {
            await app?.stop();
            await database.drop();
        });

        it('creates the first owner with the password piped in; the owner signs in to the app', async () => {
            const made = await staffCommand(database, ['create', '--name', 'alice'], 'Owns-The-Whole-Shop-2026\n');
            assert.equal(made.code, 0, made.stderr);
            assert.match(made.stdout, /^created owner alice \(id \d+\)$/m);
            app = await startTestApp({ database, listen: false });
            assert.equal((await signIn(app, 'alice', 'Owns-The-Whole-Shop-2026')).statusCode, 200);
        });

        it('refuses a second owner unless --role owner is explicit', async () => {
            const refused = await staffCommand(database, ['create', '--name', 'bob'], 'Also-Owns-It-2026-xy\n');
            assert.equal(refused.code, 2);
            assert.match(refused.stderr, /an owner exists already: pass --role owner/);
            const made = await staffCommand(database, ['create', '--name', 'bob', '--role', 'owner'], 'Also-Owns-It-2026-xy\n');
            assert.equal(made.code, 0, made.stderr);
            assert.match(made.stdout, /created owner bob/);
        });

        it('refuses short and common passwords, and a name taken', async () => {
            for (const [password, reason] of [['short-one', /at least 12 characters/], ['password1234', /most common/], ['aaaaaaaaaaaaaaaa', /most common/], ['olga-is-the-best', /must not contain the staff name/]] as const) {
                const refused = await staffCommand(database, ['create', '--name', 'olga', '--role', 'operator'], `${password}\n`);
                assert.equal(refused.code, 1, password);
                assert.match(refused.stderr, reason);
            }
            const taken = await staffCommand(database, ['create', '--name', 'alice', '--role', 'finance'], 'Someone-Else-2026-xy\n');
            assert.equal(taken.code, 1);
            assert.match(taken.stderr, /a staff member named alice exists/);
        });

        it('lists, disables (sign-in refused), enables and resets a password (the old one stops working)', async () => {
            assert.equal((await staffCommand(database, ['create', '--name', 'olga', '--role', 'operator'], 'Ships-Parcels-Daily-77\n')).code, 0);
            const listed = await staffCommand(database, ['list']);
            assert.match(listed.stdout, /^\d+\s+olga\s+operator\s+active$/m);

            assert.equal((await staffCommand(database, ['disable', '--name', 'olga'])).code, 0);
            assert.match((await staffCommand(database, ['list'])).stdout, /olga\s+operator\s+disabled/);
            assert.equal((await signIn(app, 'olga', 'Ships-Parcels-Daily-77')).statusCode, 401);
            assert.equal((await staffCommand(database, ['enable', '--name', 'olga'])).code, 0);
            assert.equal((await signIn(app, 'olga', 'Ships-Parcels-Daily-77')).statusCode, 200);

            const reset = await staffCommand(database, ['reset-password', '--name', 'olga'], 'Fresh-Parcel-Password-88\n');
            assert.equal(reset.code, 0, reset.stderr);
            assert.equal((await signIn(app, 'olga', 'Ships-Parcels-Daily-77')).statusCode, 401);
            assert.equal((await signIn(app, 'olga', 'Fresh-Parcel-Password-88')).statusCode, 200);
        });

        it('explains its usage', async () => {
            const run = await staffCommand(database, ['create']);
            assert.equal(run.code, 2);
            assert.match(run.stderr, /--name is needed/);
            assert.match(run.stderr, /usage: npm run staff -- <command>/);
        });
    });
}
