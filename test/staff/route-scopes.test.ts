import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { RequestRoute } from '@hapi/hapi';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { createStaff, signIn, type StaffBrowser } from '../helpers/staff';

// Every /admin route is guarded: the matrix below is read against the server's own route table,
// so a route added without an entry here fails this test until someone decides who may use it.
// Each role is then sent to each route: refused (403, insufficient scope) exactly where the
// table says, let through everywhere else; the API key everywhere; a shopper's token nowhere.

type Role = 'owner' | 'operator' | 'finance';
const ALL: Role[] = ['owner', 'operator', 'finance'];
const OWNER_FINANCE: Role[] = ['owner', 'finance'];
const OWNER_OPERATOR: Role[] = ['owner', 'operator'];
const OWNER: Role[] = ['owner'];

const WHO_MAY: Readonly<Record<string, Role[]>> = {
    'GET /admin/dashboard': ALL,
    'GET /admin/alerts': ALL,
    'GET /admin/orders': ALL,
    'GET /admin/orders/export': OWNER_FINANCE,
    'GET /admin/orders/{orderId}': ALL,
    'GET /admin/orders/{orderId}/page': ALL,
    'GET /admin/orders/{orderId}/shipments': ALL,
    'POST /admin/orders/{orderId}/shipments': OWNER_OPERATOR,
    'PUT /admin/orders/{orderId}/shipments/{shipmentId}': OWNER_OPERATOR,
    'POST /admin/shipments/import': OWNER_OPERATOR,
    'GET /admin/orders/{orderId}/refunds': ALL,
    'POST /admin/orders/{orderId}/refunds': OWNER_FINANCE,
    'GET /admin/refunds': OWNER_FINANCE,
    'POST /admin/refunds/{refundId}/approve': OWNER_FINANCE,
    'POST /admin/refunds/{refundId}/reject': OWNER_FINANCE,
    'GET /admin/refund-requests': ALL,
    'POST /admin/refund-requests/{requestId}/grant': ALL,
    'POST /admin/refund-requests/{requestId}/decline': ALL,
    'GET /admin/reconciliations': OWNER_FINANCE,
    'GET /admin/reconciliations/{date}': OWNER_FINANCE,
    'GET /admin/reconciliations/{date}/bill': OWNER_FINANCE,
    'GET /admin/notifications': OWNER_FINANCE,
    'GET /admin/payment-settings': OWNER_FINANCE,
    'GET /admin/staff': OWNER,
    'POST /admin/staff': OWNER,
    'PATCH /admin/staff/{staffId}': OWNER,
    'POST /admin/staff/{staffId}/password-reset': OWNER,
    'POST /admin/staff/{staffId}/logout-everywhere': OWNER,
    'GET /admin/audit': OWNER,
};

/** The session's own routes: any signed-in member (no scope), never the API key; sign-in needs nothing. */
const SESSION_ROUTES = ['POST /admin/session', 'GET /admin/session', 'DELETE /admin/session', 'POST /admin/session/logout-everywhere', 'PUT /admin/session/password'];

const keyOf = (route: RequestRoute) => `${route.method.toUpperCase()} ${route.path}`;

/** What each route is sent: a CSV where it takes one (hapi reads the body before it checks the scope). */
const bodyFor = (route: RequestRoute) => ((route.settings.payload?.allow as string[] | undefined)?.includes('text/csv')
    ? { payload: 'order_id\n999999\n', headers: { 'content-type': 'text/csv' } } : {});

/** A URL for the route's template; ids nobody has, so an allowed write finds nothing to change (404) or is refused by validation (400). */
const urlOf = (path: string) => path.replace('{date}', '2026-01-01').replace(/\{[A-Za-z]+\}/g, '999999');

describe('who may reach each /admin route', () => {
    let app: TestApp;
    let browsers: Record<Role, StaffBrowser>;
    let routes: RequestRoute[];

    before(async () => {
        app = await startTestApp();
        for (const role of ALL) {
            await createStaff(app, `${role}1`, role);
        }
        browsers = { owner: await signIn(app, 'owner1'), operator: await signIn(app, 'operator1'), finance: await signIn(app, 'finance1') };
        routes = app.server.table().filter((route) => route.path.startsWith('/admin/'));
    });
    after(() => app.stop());

    it('has an entry for every /admin route, and every such route takes the API key or a staff session with a scope', () => {
        const keys = routes.map(keyOf).sort();
        assert.deepEqual(keys, [...Object.keys(WHO_MAY), ...SESSION_ROUTES].sort());
        for (const route of routes.filter((one) => !SESSION_ROUTES.includes(keyOf(one)))) {
            const auth = route.settings.auth as { strategies: string[]; access?: Array<{ scope?: { selection?: string[] } }> };
            assert.deepEqual(auth.strategies, ['admin', 'staff'], keyOf(route));
            assert.ok((auth.access?.[0]?.scope?.selection?.length ?? 0) > 0, `${keyOf(route)} names a scope`);
        }
    });

    it('lets each role through exactly where the matrix says, and refuses it (403) elsewhere', async () => {
        for (const route of routes.filter((one) => !SESSION_ROUTES.includes(keyOf(one)))) {
            for (const role of ALL) {
                const response = await browsers[role].inject({ method: route.method, url: urlOf(route.path), ...bodyFor(route) });
                const allowed = WHO_MAY[keyOf(route)]!.includes(role);
                if (allowed) {
                    assert.ok(![401, 403].includes(response.statusCode), `${role} reaches ${keyOf(route)} (${response.statusCode} ${response.payload.slice(0, 120)})`);
                }
                else {
                    assert.equal(response.statusCode, 403, `${role} is refused ${keyOf(route)}`);
                    assert.match(JSON.parse(response.payload).message, /Insufficient scope/, keyOf(route));
                }
            }
        }
    });

    it('lets the API key through everywhere but the session routes, and a shopper token or nothing nowhere', async () => {
        const { token } = await app.login();
        for (const route of routes) {
            const url = urlOf(route.path);
            const { payload, headers } = bodyFor(route);
            const byKey = await app.inject({ method: route.method, url, payload, headers: { ...headers, ...bearer(DEV_ADMIN_API_KEY) } });
            if (SESSION_ROUTES.includes(keyOf(route))) {
                if (keyOf(route) !== 'POST /admin/session') {
                    assert.equal(byKey.statusCode, 401, `the key is no staff session: ${keyOf(route)}`);
                }
                continue;
            }
            assert.ok(![401, 403].includes(byKey.statusCode) || keyOf(route) === 'POST /admin/refunds/{refundId}/approve', `the key reaches ${keyOf(route)} (${byKey.statusCode})`);
            assert.equal((await app.inject({ method: route.method, url, headers: bearer(token) })).statusCode, 401, `a shopper token on ${keyOf(route)}`);
            assert.equal((await app.inject({ method: route.method, url })).statusCode, 401, `nothing on ${keyOf(route)}`);
        }
    });

    it("holds a member to their role as it is now: a role change applies from their next request", async () => {
        const operator = browsers.operator;
        assert.equal((await operator.inject({ method: 'GET', url: '/admin/refunds' })).statusCode, 403);
        const changed = await browsers.owner.inject({ method: 'PATCH', url: `/admin/staff/${operator.id}`, payload: { role: 'finance' } });
        assert.equal(changed.statusCode, 200, changed.payload);
        assert.equal((await operator.inject({ method: 'GET', url: '/admin/refunds' })).statusCode, 200);
        assert.equal((await operator.inject({ method: 'POST', url: '/admin/shipments/import', payload: 'order_id\n1', headers: { 'content-type': 'text/csv' } })).statusCode, 403);
        await browsers.owner.inject({ method: 'PATCH', url: `/admin/staff/${operator.id}`, payload: { role: 'operator' } });
    });
});
