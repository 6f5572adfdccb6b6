import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loadConfig } from '../../src/config';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { PRODUCTION_ENV } from '../helpers/production-env';

// /swagger.json reads well and works: every tag described, every model named, examples that
// succeed when executed, every error documented, and a host that no request can change.

interface Schema {
    $ref?: string;
    type?: string;
    example?: unknown;
    enum?: unknown[];
    items?: Schema;
    properties?: Record<string, Schema>;
}

interface Operation {
    summary?: string;
    tags?: string[];
    security?: unknown[];
    parameters?: Array<{ in: string; name: string; schema?: Schema }>;
    responses: Record<string, { description?: string; schema?: Schema }>;
}

interface Swagger {
    host: string;
    schemes: string[];
    tags: Array<{ name: string; description?: string }>;
    paths: Record<string, Record<string, Operation>>;
    definitions: Record<string, Schema>;
}

/** What Swagger UI pre-fills for a schema: each property's example, following $refs. */
function exampleOf(schema: Schema, definitions: Swagger['definitions']): unknown {
    if (schema.$ref) {
        return exampleOf(definitions[decodeURIComponent(schema.$ref.replace('#/definitions/', ''))]!, definitions);
    }
    if (schema.example !== undefined) {
        return schema.example;
    }
    if (schema.type === 'array') {
        return [exampleOf(schema.items!, definitions)];
    }
    if (schema.type === 'object') {
        return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, exampleOf(property, definitions)]));
    }
    return schema.enum?.[0];
}

async function swaggerOf(app: TestApp, headers: Record<string, string> = {}): Promise<Swagger> {
    const response = await app.inject({ method: 'GET', url: '/swagger.json', headers });
    assert.equal(response.statusCode, 200);
    return JSON.parse(response.payload) as Swagger;
}

describe('/swagger.json', () => {
    let app: TestApp;
    let swagger: Swagger;
    let operations: Array<{ key: string; operation: Operation }>;

    before(async () => {
        app = await startTestApp({ env: { PUBLIC_URL: 'https://shop.example.com' } });
        swagger = await swaggerOf(app);
        operations = Object.entries(swagger.paths).flatMap(([path, byMethod]) =>
            Object.entries(byMethod).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })));
    });

    after(async () => {
        await app.stop();
    });

    it('describes every tag that a route uses', () => {
        const described = new Map(swagger.tags.map((tag) => [tag.name, tag.description ?? '']));
        const used = new Set(operations.flatMap(({ operation }) => operation.tags ?? []));
        assert.ok(used.size >= 5);
        for (const tag of used) {
            assert.ok((described.get(tag)?.length ?? 0) > 20, `tag "${tag}" has a description`);
        }
    });

    it('names every model: no Model1…, no fragments named after a property', () => {
        const names = Object.keys(swagger.definitions);
        assert.ok(names.includes('Order') && names.includes('OrderPage') && names.includes('RequestPayment'));
        for (const name of names) {
            assert.match(name, /^[A-Z][A-Za-z]*$/, `definition "${name}" is a PascalCase name`);
            assert.doesNotMatch(name, /^Model\d*$/, `definition "${name}" is not auto-named`);
        }
    });

    it('gives every route a summary, and documents its errors: 401 where a token is needed, 400 where input is validated', () => {
        for (const { key, operation } of operations) {
            assert.ok(operation.summary, `${key} has a summary`);
            if (operation.security) {
                assert.ok(operation.responses['401']?.description, `${key} documents 401`);
            }
            if ((operation.parameters ?? []).length > 0) {
                assert.ok(operation.responses['400']?.description, `${key} documents 400`);
            }
            for (const [status, response] of Object.entries(operation.responses)) {
                assert.ok(response.description, `${key} describes its ${status}`);
            }
        }
    });

    it("pre-fills POST /orders with a body that succeeds unchanged (a seeded goods id, count 1)", async () => {
        const body = swagger.paths['/orders']!.post!.parameters!.find((parameter) => parameter.in === 'body')!;
        const example = exampleOf(body.schema!, swagger.definitions);
        assert.deepEqual(example, { goodsList: [{ goods_id: 1, count: 1 }] });
        const { token } = await app.login();
        const response = await app.inject({ method: 'POST', url: '/orders', headers: bearer(token), payload: example as object });
        assert.equal(response.statusCode, 201, response.payload);
    });

    it("names models without renaming fields in 400s: Joi's messages still say goodsList", async () => {
        assert.ok(swagger.definitions.OrderLineInputs && swagger.definitions.OrderLineInput);
        const { token } = await app.login();
        for (const [payload, message] of [
            [{ goodsList: [] }, '"goodsList" must contain at least 1 items'],
            [{}, '"goodsList" is required'],
            [{ goodsList: ['x'] }, '"goodsList[0]" must be of type object'],
        ] as const) {
            const response = await app.inject({ method: 'POST', url: '/orders', headers: bearer(token), payload });
            assert.equal(response.statusCode, 400);
            assert.equal(JSON.parse(response.payload).message, message);
        }
    });

    it("shows wx.requestPayment's timeStamp as 10 digits, as the real reply has", () => {
        const example = exampleOf({ $ref: '#/definitions/RequestPayment' }, swagger.definitions) as Record<string, unknown>;
        assert.match(String(example.timeStamp), /^\d{10}$/);
        assert.match(String(example.package), /^prepay_id=/);
    });

    it("describes the notify route's XML body and its SUCCESS / FAIL replies", () => {
        const notify = swagger.paths['/orders/pay/notify']!.post!;
        assert.deepEqual([notify.summary && 'summary', notify.responses['200'] && 200, notify.responses['400'] && 400, notify.responses['500'] && 500], ['summary', 200, 400, 500]);
        assert.match(JSON.stringify(notify), /<out_trade_no>/);
        assert.match(notify.responses['200']!.description!, /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/);
        assert.match(notify.responses['400']!.description!, /FAIL/);
    });

    it('takes host and scheme from PUBLIC_URL, never from Host or X-Forwarded-Host', async () => {
        assert.equal(swagger.host, 'shop.example.com');
        assert.deepEqual(swagger.schemes, ['https']);
        const spoofed = await swaggerOf(app, { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
        assert.equal(spoofed.host, 'shop.example.com');
        assert.deepEqual(spoofed.schemes, ['https']);
    });

    it('leaves GET /metrics and the simulator out', () => {
        assert.deepEqual(Object.keys(swagger.paths).filter((path) => path === '/metrics' || path.startsWith('/__wechat')), []);
    });
});

describe('GET /documentation', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false });
    });
    after(async () => {
        await app.stop();
    });

    it('loads only our /swagger.json, whatever ?url= names, under a CSP that allows this origin only', async () => {
        const response = await app.inject({ method: 'GET', url: '/documentation?url=https://evil.example/spec.json' });
        assert.equal(response.statusCode, 200);
        assert.match(response.payload, /"url":"\/swagger.json"/);
        assert.match(response.payload, /"queryConfigEnabled":false/);
        assert.doesNotMatch(response.payload, /location\.search|evil\.example/);
        const policy = String(response.headers['content-security-policy']);
        assert.match(policy, /default-src 'self'/);
        assert.match(policy, /connect-src 'self'/);
    });
});

describe('docs switched off', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false, env: { DOCS_ENABLED: 'false' } });
    });
    after(async () => {
        await app.stop();
    });

    it('answers 404 for /documentation, /swagger.json and the UI files', async () => {
        for (const url of ['/documentation', '/swagger.json', '/swaggerui/swagger-ui-bundle.js']) {
            assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
        }
    });

    it('is the default in production, where DOCS_ENABLED=true turns docs on', () => {
        const production = PRODUCTION_ENV;
        assert.equal(loadConfig(production).observability.docsEnabled, false);
        assert.equal(loadConfig({ ...production, DOCS_ENABLED: 'true' }).observability.docsEnabled, true);
        assert.deepEqual(loadConfig(production).observability.publicUrl, { scheme: 'https', host: 'shop.example.com' }, "PUBLIC_URL defaults to the notify URL's origin");
        assert.equal(loadConfig({}).observability.docsEnabled, true);
    });
});
