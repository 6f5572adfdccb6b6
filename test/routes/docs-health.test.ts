import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';

interface SwaggerOperation {
    security?: Array<Record<string, string[]>>;
    tags?: string[];
}

interface Swagger {
    swagger: string;
    paths: Record<string, Record<string, SwaggerOperation>>;
    securityDefinitions: Record<string, unknown>;
}

describe('GET /health', () => {
    describe('while the database answers', () => {
        let app: TestApp;

        before(async () => {
            app = await startTestApp({ listen: false });
        });

        after(async () => {
            await app.stop();
        });

        it('is 200 { status: ok, db: ok }, without a token', async () => {
            const response = await app.inject({ method: 'GET', url: '/health' });
            assert.equal(response.statusCode, 200);
            assert.deepEqual(JSON.parse(response.payload), { status: 'ok', db: 'ok' });
        });
    });

    describe('once the database is gone', () => {
        let app: TestApp;

        before(async () => {
            app = await startTestApp({ listen: false });
            await app.server.app.models.sequelize.close();
        });

        after(async () => {
            // The app may already be stopped by the test below; a second stop must not hide its result.
            await app.server.stop().catch(() => undefined);
            await app.database.drop();
        });

        it('is 503 { status: unavailable, db: down }', async () => {
            const response = await app.inject({ method: 'GET', url: '/health' });
            assert.equal(response.statusCode, 503);
            assert.deepEqual(JSON.parse(response.payload), { status: 'unavailable', db: 'down' });
        });

        it('still stops cleanly', async () => {
            await app.server.stop({ timeout: 1000 });
        });
    });

    describe('with two apps in one process', () => {
        let healthy: TestApp;
        let broken: TestApp;

        before(async () => {
            healthy = await startTestApp({ listen: false });
            broken = await startTestApp({ listen: false });
            await broken.server.app.models.sequelize.close();
        });

        after(async () => {
            await broken.server.stop().catch(() => undefined);
            await broken.database.drop();
            await healthy.stop();
        });

        it("each reports its own database's health", async () => {
            assert.equal((await healthy.inject({ method: 'GET', url: '/health' })).statusCode, 200);
            assert.equal((await broken.inject({ method: 'GET', url: '/health' })).statusCode, 503);
        });

        it("each serves from its own database: one app's outage does not reach the other", async () => {
            const response = await healthy.inject({ method: 'GET', url: '/shops?limit=1' });
            assert.equal(response.statusCode, 200, response.payload);
        });
    });
});

describe('API documentation', () => {
    let app: TestApp;
    let swagger: Swagger;

    before(async () => {
        app = await startTestApp({ listen: false });
        const response = await app.inject({ method: 'GET', url: '/swagger.json' });
        assert.equal(response.statusCode, 200);
        swagger = JSON.parse(response.payload) as Swagger;
    });

    after(async () => {
        await app.stop();
    });

    it('GET /swagger.json documents the shop, user, order and health routes', () => {
        assert.equal(swagger.swagger, '2.0');
        for (const [path, method] of [
            ['/', 'get'],
            ['/health', 'get'],
            ['/shops', 'get'],
            ['/shops/{shopId}/goods', 'get'],
            ['/users/wxLogin', 'post'],
            ['/users/createJWT', 'post'],
            ['/orders', 'get'],
            ['/orders', 'post'],
            ['/orders/{orderId}', 'get'],
        ] as const) {
            assert.ok(swagger.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
        }
    });

    it('defines the jwt security scheme (and the merchant API\'s admin one): the Authorization header; staff sessions send the crumb', () => {
        assert.deepEqual(swagger.securityDefinitions, {
            jwt: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer, a space, and the token from /users/wxLogin' },
            admin: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer, a space, and ADMIN_API_KEY (the merchant API only)' },
            staffSession: {
                type: 'apiKey', name: 'X-CSRF-Token', in: 'header',
                description: 'A staff session: sign in with POST /admin/session (the sealed cookie follows); writes also send the crumb from GET /admin/session in X-CSRF-Token',
            },
        });
    });

    it('marks exactly the routes that need a token with security: jwt (and the merchant API with admin)', () => {
        const needsToken = new Map<string, boolean>();
        const needsAdminKey = new Set<string>();
        const needsStaffSession = new Set<string>();
        for (const route of app.server.table()) {
            const auth = route.settings.auth as { strategies?: string[] } | false | undefined;
            needsToken.set(`${route.method} ${route.path}`, Boolean(auth && auth.strategies?.includes('jwt')));
            if (auth && auth.strategies?.includes('admin')) {
                needsAdminKey.add(`${route.method} ${route.path}`);
            }
            else if (auth && auth.strategies?.includes('staff')) {
                needsStaffSession.add(`${route.method} ${route.path}`);
            }
        }
        const documented = Object.entries(swagger.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ path, method, operation })));
        assert.ok(documented.length >= 9);
        for (const { path, method, operation } of documented) {
            const key = `${method} ${path}`;
            assert.ok(needsToken.has(key), `${key} is a route of the server`);
            if (needsToken.get(key)) {
                assert.deepEqual(operation.security, [{ jwt: [] }], `${key} needs a token`);
            }
            else if (needsAdminKey.has(key)) {
                assert.deepEqual(operation.security, [{ admin: [] }, { staffSession: [] }], `${key} needs the admin key or a staff session`);
            }
            else if (needsStaffSession.has(key)) {
                assert.deepEqual(operation.security, [{ staffSession: [] }], `${key} needs a staff session`);
            }
            else {
                assert.equal(operation.security, undefined, `${key} is public`);
            }
        }
        for (const [key, expected] of [['get /', true], ['get /orders', true], ['post /orders', true], ['get /orders/{orderId}', true],
            ['get /health', false], ['get /shops', false], ['get /shops/{shopId}/goods', false], ['post /users/wxLogin', false]] as const) {
            assert.equal(needsToken.get(key), expected, key);
        }
    });

    it('does not document the WeChat simulator', () => {
        assert.deepEqual(Object.keys(swagger.paths).filter((path) => path.startsWith('/__wechat')), []);
    });

    it('GET /documentation is the Swagger UI page', async () => {
        const response = await app.inject({ method: 'GET', url: '/documentation' });
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /^text\/html/);
        assert.match(response.payload, /<html/i);
        assert.match(response.payload, /swagger/i);
    });
});
