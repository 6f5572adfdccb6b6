import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { beijingDayOf } from '../../src/wechat/beijing-day';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds, type TestDatabase } from '../helpers/databases';
import { paidOrder, reconcile, RECONCILIATION_ENV, tamperBill } from './harness';

// GET /admin/reconciliations/{date}: the merchant's view of a day's reconciliation, behind the
// admin key. It returns the stored report, or makes it (once the day's bill is ready) and
// stores it, so the second call answers the same report.

for (const { kind, create } of databaseKinds()) {
    describe(`GET /admin/reconciliations/{date} on ${kind}`, () => {
        let database: TestDatabase;
        let app: TestApp;
        let token: string;
        before(async () => {
            database = await create();
            app = await startTestApp({ database, env: RECONCILIATION_ENV });
            ({ token } = await app.login());
        });
        after(async () => {
            await app.stop();
            await database.drop();
        });

        const get = (date: string, headers: Record<string, string> = bearer(DEV_ADMIN_API_KEY)) => app.inject({ method: 'GET', url: `/admin/reconciliations/${date}`, headers });

        it('needs the admin key: none, or a shopper token, is 401', async () => {
            assert.equal((await get('2026-01-10', {})).statusCode, 401);
            assert.equal((await get('2026-01-10', bearer(token))).statusCode, 401);
            assert.equal(await app.server.app.models.ReconciliationReport.count(), 0);
        });

        it('answers 400 naming the date for one that is not a YYYY-MM-DD day', async () => {
            for (const date of ['2026-02-30', '20261130', 'yesterday', '2026-1-05']) {
                const response = await get(date);
                assert.equal(response.statusCode, 400, date);
                assert.match(JSON.parse(response.payload).message, /"date" must be a day written YYYY-MM-DD/);
            }
        });

        it('makes and stores the report of a past day, then answers the stored one', async () => {
            const first = await get('2026-01-10');
            assert.equal(first.statusCode, 200, first.payload);
            assert.deepEqual({ ...JSON.parse(first.payload), created_at: undefined }, {
                bill_date: '2026-01-10', status: 'agreed', bill_payments: 0, bill_refunds: 0, our_payments: 0, our_refunds: 0,
                discrepancy_count: 0, discrepancies: [], created_at: undefined,
            });
            const second = await get('2026-01-10');
            assert.equal(second.payload, first.payload);
            assert.equal(await app.server.app.models.ReconciliationReport.count({ where: { billDate: '2026-01-10' } }), 1);
        });

        it("answers 409 for a day whose bill is not ready yet (today's), storing nothing", async () => {
            const today = beijingDayOf(new Date());
            const response = await get(today);
            assert.equal(response.statusCode, 409, response.payload);
            assert.match(JSON.parse(response.payload).message, /bill of \d{4}-\d{2}-\d{2} is ready from 10:00 Beijing time/);
            assert.equal(await app.server.app.models.ReconciliationReport.count({ where: { billDate: today } }), 0);
        });

        it('answers a stored report with its discrepancies', async () => {
            const payment = await paidOrder(app, token);
            await tamperBill(app, { out_trade_no: payment.outTradeNo, action: 'drop' });
            const made = await reconcile(app, payment.day);
            const response = await get(payment.day);
            assert.equal(response.statusCode, 200, response.payload);
            const shown = JSON.parse(response.payload);
            assert.deepEqual(shown, JSON.parse(JSON.stringify(made)));
            assert.equal(shown.status, 'disagreed');
            assert.deepEqual(shown.discrepancies.map((found: { kind: string }) => found.kind), ['missing_at_wechat']);
        });

        it('answers 502 when WeChat gives no readable bill, stores no report, and makes it on the next call', async () => {
            await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint: 'downloadbill', fault: 'http500', count: 1 } });
            const response = await get('2026-01-11');
            assert.equal(response.statusCode, 502, response.payload);
            assert.deepEqual(Object.keys(JSON.parse(response.payload)).sort(), ['error', 'message', 'statusCode']);
            const failed = await app.server.app.models.ReconciliationReport.findOne({ where: { billDate: '2026-01-11' } });
            assert.deepEqual([failed?.status, failed?.failures], ['failed', 1]);
            // Asked for by hand, a failed day is tried at once: the daily job's back-off is the job's.
            assert.equal(JSON.parse((await get('2026-01-11')).payload).status, 'agreed');
        });
    });
}

describe('GET /admin/reconciliations/{date} in swagger.json', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false });
    });
    after(() => app.stop());

    it('is documented under the admin tag and scheme, with named models', async () => {
        const swagger = JSON.parse((await app.inject({ method: 'GET', url: '/swagger.json' })).payload);
        const operation = swagger.paths['/admin/reconciliations/{date}'].get;
        assert.deepEqual(operation.tags, ['admin']);
        assert.deepEqual(operation.security, [{ admin: [] }, { staffSession: [] }]);
        assert.deepEqual(Object.keys(operation.responses).sort(), ['200', '400', '401', '403', '409', '502', '503', '504']);
        assert.match(operation.responses['409'].description, /not ready/);
        assert.ok(swagger.definitions.ReconciliationReport && swagger.definitions.ReconciliationDiscrepancy);
    });
});
