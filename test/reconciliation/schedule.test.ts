import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loadConfig } from '../../src/config';
import { addBeijingDays, startOfBeijingDay } from '../../src/wechat/beijing-day';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { paidOrder, RECONCILIATION_ENV, type Payment } from './harness';

// The daily job: from RECONCILE_BILL_HOUR (default 10:00) Beijing time, yesterday's bill is
// reconciled once; before that hour, and once the report is stored, a run does nothing.
// Driven with a test clock through runOnce(now).

/** `hour`:`minute` Beijing time on `day`. */
const beijingAt = (day: string, hour: number, minute = 0) => new Date(startOfBeijingDay(day).getTime() + (hour * 60 + minute) * 60_000);

for (const { kind, create } of databaseKinds()) {
    describe(`the daily reconciliation job on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;
        let payment: Payment;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: { ...RECONCILIATION_ENV, RECONCILE_BILL_HOUR: '11' } });
            payment = await paidOrder(app, (await app.login()).token);
        });
        after(async () => {
            await app.stop();
            await database.drop();
        });

        it("waits for the bill hour, then makes yesterday's report once", async () => {
            const { dailyReconciliation } = app.server.services();
            const nextDay = addBeijingDays(payment.day, 1);
            assert.equal(await dailyReconciliation.runOnce(beijingAt(nextDay, 10, 59)), undefined);
            assert.equal(await app.server.app.models.ReconciliationReport.count(), 0);

            const made = await dailyReconciliation.runOnce(beijingAt(nextDay, 11, 0));
            assert.equal(made?.billDate, payment.day);
            assert.equal(made?.status, 'agreed');
            assert.ok(made.ourPayments >= 1);

            assert.equal(await dailyReconciliation.runOnce(beijingAt(nextDay, 15, 30)), undefined, 'already made');
            assert.equal(await app.server.app.models.ReconciliationReport.count(), 1);
        });
    });
}

describe('RECONCILE_BILL_HOUR', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false, env: { RECONCILE_BILL_HOUR: '0' } });
    });
    after(() => app.stop());

    it('defaults to 10:00 Beijing time, the daily run on', () => {
        assert.deepEqual(loadConfig({}).reconciliation, { billReadyHour: 10, daily: true, billMaxBytes: 256 * 1024 * 1024 });
        assert.deepEqual(loadConfig({ RECONCILE_BILL_HOUR: '14' }).reconciliation, { billReadyHour: 14, daily: true, billMaxBytes: 256 * 1024 * 1024 });
    });

    it('is an hour of the day', () => {
        for (const value of ['24', '-1', '9.5', 'ten']) {
            assert.throws(() => loadConfig({ RECONCILE_BILL_HOUR: value }), /Invalid configuration: "RECONCILE_BILL_HOUR"/);
        }
    });

    it('0 switches the daily run off; a report asked for still waits for 10:00 the day after', async () => {
        assert.deepEqual(app.config.reconciliation, { billReadyHour: 10, daily: false, billMaxBytes: 256 * 1024 * 1024 });
        const { reconciliation } = app.server.services();
        assert.equal(reconciliation.billReady('2026-11-30', beijingAt('2026-12-01', 9, 59)), false);
        assert.equal(reconciliation.billReady('2026-11-30', beijingAt('2026-12-01', 10, 0)), true);
    });
});
