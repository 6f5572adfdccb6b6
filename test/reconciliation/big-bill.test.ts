import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { billReadyAfter, busyDay, freshDay, reconcile, reconciliationAlerts, RECONCILIATION_ENV } from './harness';

// Bills of a busy shop, downloaded over HTTP from the simulator (tar_type=GZIP, read as a stream):
// one over 1 MB reconciles like any other; one over RECONCILE_BILL_MAX_BYTES is refused with an
// error naming the setting and an ALERT line; and a day whose bill cannot be had is tried again
// with a growing back-off, its failures counted in the database, and raises an ALERT line with the
// cause from the third failure on instead of failing quietly every five minutes.

/** The failures in a row after which a day raises alert.reconciliation_failing. */
const FAILURES_BEFORE_ALERT = 3;

for (const { kind, create } of databaseKinds()) {
    describe(`a busy day's bill on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: RECONCILIATION_ENV });
        });
        afterEach(async () => {
            await app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' });
            await freshDay(app);
        });
        after(async () => {
            await app.stop();
            await database.drop();
        });

        it('reconciles a bill over 1 MB (4,000 payments with real goods names): the report agrees', async () => {
            const day = await busyDay(app, 4000);
            const report = await reconcile(app, day);
            assert.equal(report.status, 'agreed', JSON.stringify(report.discrepancies.slice(0, 3)));
            assert.equal(report.bill_payments, 4000);
            assert.equal(report.our_payments, 4000);
        });

        it('backs off a day that keeps failing, and raises an ALERT with the cause from the third failure in a row', async () => {
            const day = await busyDay(app, 10);
            const injected = await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'downloadbill', fault: 'http500', count: 100 } });
            assert.equal(injected.statusCode, 201, injected.payload);
            const { dailyReconciliation } = app.server.services();
            const { ReconciliationReport } = app.server.app.models;
            const failingAlerts = () => reconciliationAlerts(app, 'alert.reconciliation_failing').filter((entry) => entry.billDate === day);

            let now = billReadyAfter(day);
            const waits: number[] = [];
            for (let failure = 1; failure <= FAILURES_BEFORE_ALERT; failure += 1) {
                assert.equal(await dailyReconciliation.runOnce(now), undefined);
                const row = await ReconciliationReport.findOne({ where: { billDate: day } });
                assert.deepEqual([row?.status, row?.failures], ['failed', failure]);
                assert.match(String(row?.lastError), /downloadbill.*HTTP 500/);
                assert.equal(failingAlerts().length, failure < FAILURES_BEFORE_ALERT ? 0 : 1, `after failure ${failure}`);

                // Not tried again before its back-off has passed.
                const next = row!.nextAttemptAt!;
                waits.push(next.getTime() - now.getTime());
                assert.equal(await dailyReconciliation.runOnce(new Date(next.getTime() - 1000)), undefined);
                assert.equal((await ReconciliationReport.findOne({ where: { billDate: day } }))?.failures, failure, 'no attempt within the back-off');
                now = next;
            }
            assert.deepEqual(waits, [5, 10, 20].map((minutes) => minutes * 60_000), 'the wait doubles');

            const [alert] = failingAlerts();
            assert.equal(alert?.level, 50);
            assert.equal(alert?.failures, FAILURES_BEFORE_ALERT);
            assert.match(String(alert?.cause), /HTTP 500/);
            assert.match(String(alert?.msg), new RegExp(`^ALERT: reconciliation of ${day} failed ${FAILURES_BEFORE_ALERT} times in a row`));

            // Once WeChat answers, the next attempt makes the report and the failures are history.
            await app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' });
            const made = await dailyReconciliation.runOnce(now);
            assert.equal(made?.status, 'agreed');
            assert.equal(made?.failures, FAILURES_BEFORE_ALERT);
        });
    });
}

describe('a bill over RECONCILE_BILL_MAX_BYTES', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ env: { ...RECONCILIATION_ENV, RECONCILE_BILL_MAX_BYTES: String(256 * 1024) } });
    });
    after(() => app.stop());

    it('is refused with an error naming the limit, stores no report, and raises an ALERT', async () => {
        const day = await busyDay(app, 1000);
        await assert.rejects(reconcile(app, day), (error: Error) => /larger than RECONCILE_BILL_MAX_BYTES \(262144 bytes\)/.test(error.message));
        const row = await app.server.app.models.ReconciliationReport.findOne({ where: { billDate: day } });
        assert.equal(row?.status, 'failed');
        assert.match(String(row?.lastError), /RECONCILE_BILL_MAX_BYTES/);

        const alerts = reconciliationAlerts(app, 'alert.bill_too_large');
        assert.equal(alerts.length, 1);
        assert.deepEqual([alerts[0]?.level, alerts[0]?.billDate, alerts[0]?.maxBytes], [50, day, 256 * 1024]);
        assert.match(String(alerts[0]?.msg), /^ALERT: WeChat's bill of \d{4}-\d{2}-\d{2} is larger than RECONCILE_BILL_MAX_BYTES/);
    });
});
