import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';

// hapi's security headers on every reply: JSON, XML, HTML, errors and routes that do not exist.
const EXPECTED = {
    'strict-transport-security': 'max-age=15552000; includeSubDomains',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'x-download-options': 'noopen',
    'referrer-policy': 'no-referrer',
    'x-xss-protection': '0',
};

describe('security headers', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ listen: false });
    });

    after(async () => {
        await app.stop();
    });

    for (const [method, url, status] of [
        ['GET', '/health', 200],
        ['GET', '/shops', 200],
        ['GET', '/documentation', 200],
        ['GET', '/orders', 401],
        ['POST', '/orders/pay/notify', 400],
        ['GET', '/shops?limit=nope', 400],
        ['GET', '/no/such/route', 404],
    ] as const) {
        it(`are on ${method} ${url} (${status})`, async () => {
            const response = await app.inject({ method, url, ...(method === 'POST' ? { payload: '<xml></xml>', headers: { 'content-type': 'text/xml' } } : {}) });
            assert.equal(response.statusCode, status, response.payload);
            for (const [name, value] of Object.entries(EXPECTED)) {
                assert.equal(response.headers[name], value, `${name} on ${method} ${url}`);
            }
        });
    }
});
