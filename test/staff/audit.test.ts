import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { createStaff, signIn, STAFF_PASSWORD, type StaffBrowser } from '../helpers/staff';
import { paidOrder } from '../refunds/support';

// Every write to the merchant API lands in the audit trail: who (the member, or the API key),
// the route and its subject, the request id, the outcome, the subject before and after. Owners
// read it; nothing in the API changes or deletes it; no password is ever in it.

interface AuditView {
    id: number;
    actor: { kind: string; staff_id: number | null; staff_name: string | null };
    action: string;
    path: string;
    subject: { type: string; id: string | null } | null;
    request_id: string;
    status_code: number;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
}

for (const { kind, create } of databaseKinds()) {
    describe(`the audit trail on ${kind}`, () => {
        let app: TestApp;
        let alice: StaffBrowser;
        let token: string;

        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...NO_ORDER_LIMITS } });
            ({ token } = await app.login());
            await createStaff(app, 'alice', 'owner');
            alice = await signIn(app, 'alice');
        });
        after(() => app.stop().then(() => app.database.drop()));

        const trail = async (query = '') => ((await alice.inject({ method: 'GET', url: `/admin/audit${query}` })).result as { results: AuditView[] }).results;

        it('records each step, with who, the request id, the outcome and the subject before and after', async () => {
            const made = await alice.inject({ method: 'POST', url: '/admin/staff', payload: { name: 'olga', role: 'operator' } });
            assert.equal(made.statusCode, 201);
            const { staff, temporary_password: temporary } = made.result as { staff: { id: number }; temporary_password: string };
            const [creation] = await trail();
            assert.deepEqual(creation!.actor, { kind: 'staff', staff_id: alice.id, staff_name: 'alice' });
            assert.equal(creation!.action, 'POST /admin/staff');
            assert.deepEqual(creation!.subject, { type: 'staff', id: String(staff.id) });
            assert.equal(creation!.request_id, made.headers['x-request-id']);
            assert.equal(creation!.status_code, 201);
            assert.equal(creation!.before, null);
            assert.equal(creation!.after!.role, 'operator');

            await app.server.services().staff.setPassword(staff.id, STAFF_PASSWORD);
            const olga = await signIn(app, 'olga');
            const order = await paidOrder(app, token);
            const shipped = await olga.inject({ method: 'POST', url: `/admin/orders/${order.id}/shipments`, payload: { logistics_type: 'express', express_company: 'YTO', tracking_no: 'YT100', item_desc: 'two mugs' } });
            assert.equal(shipped.statusCode, 201, shipped.payload);
            const [shipping] = await trail(`?subject_type=order&subject_id=${order.id}`);
            assert.equal(shipping!.actor.staff_name, 'olga');
            assert.equal(shipping!.action, 'POST /admin/orders/{orderId}/shipments');
            assert.equal(shipping!.path, `/admin/orders/${order.id}/shipments`);
            assert.equal(shipping!.before!.status, 'paid');
            assert.equal(shipping!.before!.shipment, null);
            assert.equal(shipping!.after!.status, 'shipped');
            assert.equal((shipping!.after!.shipment as { tracking_no: string }).tracking_no, 'YT100');

            const refused = await olga.inject({ method: 'POST', url: `/admin/orders/${order.id}/refunds`, payload: { refund_fee: 1 } });
            assert.equal(refused.statusCode, 403);
            const noCrumb = await olga.inject({ method: 'PUT', url: `/admin/orders/${order.id}/shipments/1`, payload: {}, crumb: false });
            assert.equal(noCrumb.statusCode, 403);
            const byKey = await app.inject({ method: 'POST', url: `/admin/orders/${order.id}/refunds`, headers: bearer(DEV_ADMIN_API_KEY), payload: { refund_fee: 100 } });
            assert.equal(byKey.statusCode, 202);

            const latest = await trail('?limit=3');
            assert.deepEqual(latest.map((event) => [event.actor.kind, event.actor.staff_name, event.action, event.status_code]), [
                ['api_key', null, 'POST /admin/orders/{orderId}/refunds', 202],
                ['staff', 'olga', 'PUT /admin/orders/{orderId}/shipments/{shipmentId}', 403],
                ['staff', 'olga', 'POST /admin/orders/{orderId}/refunds', 403],
            ]);
            assert.equal((latest[0]!.after!.refunds as unknown[]).length, 1);
            assert.deepEqual(latest[0]!.before!.refunds, []);

            const olgasOwn = await trail(`?staff_id=${olga.id}`);
            assert.ok(olgasOwn.every((event) => event.actor.staff_id === olga.id));
            assert.ok(olgasOwn.some((event) => event.action === 'POST /admin/session'), 'her sign-in is recorded');

            const everything = JSON.stringify(await trail('?limit=100'));
            for (const secret of [temporary, STAFF_PASSWORD, '$argon2']) {
                assert.ok(!everything.includes(secret), 'no password or hash in the trail');
            }
        });

        it('is read by owners only, a page at a time, and nothing in the API changes or deletes it', async () => {
            const page = (await alice.inject({ method: 'GET', url: '/admin/audit?limit=2' })).result as { results: AuditView[]; next: number | null };
            assert.equal(page.results.length, 2);
            assert.equal(page.next, page.results[1]!.id);
            const older = (await alice.inject({ method: 'GET', url: `/admin/audit?limit=2&before=${page.next}` })).result as { results: AuditView[] };
            assert.ok(older.results.every((event) => event.id < page.next!));

            const count = await app.server.app.models.AuditEvent.count();
            const [first] = page.results;
            for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
                for (const url of ['/admin/audit', `/admin/audit/${first!.id}`]) {
                    const response = await alice.inject({ method, url, payload: {} });
                    assert.equal(response.statusCode, 404, `${method} ${url}`);
                }
                assert.equal((await app.inject({ method, url: '/admin/audit', headers: bearer(DEV_ADMIN_API_KEY) })).statusCode, 404);
            }
            const stored = await app.server.app.models.AuditEvent.findByPk(first!.id);
            assert.equal(stored!.action, first!.action);
            assert.ok(await app.server.app.models.AuditEvent.count() >= count);
            assert.equal(app.server.table().filter((route) => route.path.startsWith('/admin/audit') && route.method !== 'get').length, 0);

            await createStaff(app, 'fiona', 'finance');
            const fiona = await signIn(app, 'fiona');
            assert.equal((await fiona.inject({ method: 'GET', url: '/admin/audit' })).statusCode, 403);
        });

        it('names a subject on every audited write route of the merchant API', () => {
            const writes = app.server.table().filter((route) => route.path.startsWith('/admin/') && route.method !== 'get');
            for (const route of writes) {
                assert.ok(route.settings.plugins?.audit?.subject, `${route.method.toUpperCase()} ${route.path} names its audit subject`);
            }
        });
    });
}
