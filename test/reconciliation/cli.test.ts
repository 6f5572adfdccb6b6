import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { paidAtWechatOnly, paidOrder, reconcile, RECONCILIATION_ENV, tamperBill } from './harness';

// npm run reconcile -- --date YYYY-MM-DD prints the day's report as a table, using the app's
// configuration (here: the test app's database, and its simulator as WeChat). Exit status 0
// when the books agree, 2 when they disagree, 1 when no report could be made.

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

interface Outcome {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

async function reconcileCommand(app: TestApp, args: string[]): Promise<Outcome> {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: app.database.url, PORT: String(app.config.server.port) };
    try {
        const { stdout, stderr } = await run('npm', ['run', '--silent', 'reconcile', '--', ...args], { cwd: ROOT, env, timeout: 60_000 });
        return { code: 0, stdout, stderr };
    }
    catch (error) {
        const failed = error as { code?: number; stdout: string; stderr: string };
        return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
    }
}

for (const { kind, create } of databaseKinds()) {
    describe(`npm run reconcile on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: RECONCILIATION_ENV });
        });
        after(async () => {
            await app.stop();
            await database.drop();
        });

        it('prints a disagreeing day as a table of its discrepancies, and exits 2', async () => {
            const { token } = await app.login();
            const dropped = await paidOrder(app, token);
            const missed = await paidAtWechatOnly(app, token);
            await tamperBill(app, { out_trade_no: dropped.outTradeNo, action: 'drop' });
            await reconcile(app, dropped.day);

            const { code, stdout } = await reconcileCommand(app, ['--date', dropped.day]);
            assert.equal(code, 2, stdout);
            const lines = stdout.trimEnd().split('\n');
            assert.equal(lines[0], `Reconciliation of ${dropped.day}: disagreed`);
            assert.equal(lines[1], "WeChat's bill: 1 payment, 0 refunds; our books: 1 payment, 0 refunds");
            assert.match(lines[3]!, /^kind\s+out_trade_no\s+out_refund_no\s+wechat_fee\s+our_fee\s+healed$/);
            assert.match(lines[4]!, /^-+( +-+){5}$/);
            const rows = lines.slice(5, 7).map((line) => line.split(/\s+/));
            assert.deepEqual(rows.sort(), [
                ['missing_at_wechat', dropped.outTradeNo, '-', '-', String(dropped.totalFee), '-'],
                ['missing_here', missed.outTradeNo, '-', String(missed.totalFee), '-', 'true'],
            ].sort());
            assert.equal(lines.at(-1), 'Amounts in fen.');
        });

        it('makes and prints the report of a past day without trades, and exits 0', async () => {
            const { code, stdout } = await reconcileCommand(app, ['--date', '2026-01-20']);
            assert.equal(code, 0, stdout);
            assert.equal(stdout, "Reconciliation of 2026-01-20: agreed\nWeChat's bill: 0 payments, 0 refunds; our books: 0 payments, 0 refunds\n");
            assert.equal(await app.server.app.models.ReconciliationReport.count({ where: { billDate: '2026-01-20', status: 'agreed' } }), 1);
        });

        it('exits 1 with its usage for a missing or malformed date', async () => {
            for (const args of [[], ['--date', '2026-13-01']]) {
                const { code, stdout, stderr } = await reconcileCommand(app, args);
                assert.equal(code, 1);
                assert.equal(stdout, '');
                assert.match(stderr, /usage: npm run reconcile -- --date YYYY-MM-DD/);
            }
        });
    });
}
