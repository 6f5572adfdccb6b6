import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { EXAMPLE_SOURCES as SOURCES, sourceFiles } from '../miniprogram/example-sources';

// The example mini-program (examples/miniprogram) calls only routes the API documents: every
// request('METHOD', 'path') in its services is an operation in /swagger.json. Its pages' behaviour
// against the API is tested in test/miniprogram/.

const PROJECT = path.resolve(__dirname, '../../examples/miniprogram');
const REQUEST_TS = path.join(SOURCES, 'services/request.ts');

/** `request<Order>('GET', `/orders/${orderId}`)` → GET /orders/{} ; placeholders compare by position only. */
function callsIn(source: string): Array<{ method: string; path: string }> {
    const calls = [...source.matchAll(/\brequest(?:<[^(]*>)?\(\s*'([A-Z]+)'\s*,\s*[`'"]([^`'"]+)[`'"]/g)];
    return calls.map(([, method, template]) => ({ method: method!, path: template!.replace(/\$\{[^}]+\}/g, '{}') }));
}

const readSource = (file: string) => readFileSync(file, 'utf8');

describe('the example mini-program', () => {
    let app: TestApp;
    let documented: Set<string>;
    const services = sourceFiles(path.join(SOURCES, 'services'), '.ts').map(readSource).join('\n');

    before(async () => {
        app = await startTestApp({ listen: false });
        const swagger = JSON.parse((await app.inject({ method: 'GET', url: '/swagger.json' })).payload) as { paths: Record<string, object> };
        documented = new Set(Object.entries(swagger.paths).flatMap(([route, operations]) =>
            Object.keys(operations).map((method) => `${method.toUpperCase()} ${route.replace(/\{[^}]+\}/g, '{}')}`)));
    });

    after(async () => {
        await app.stop();
    });

    it('calls the API only through services/*.ts, and only services/request.ts calls wx.request', () => {
        assert.equal((readSource(REQUEST_TS).match(/wx\.request\(/g) ?? []).length, 1);
        for (const file of sourceFiles(SOURCES, '.ts').filter((file) => file !== REQUEST_TS)) {
            assert.doesNotMatch(readSource(file), /wx\.request\(/, `${path.relative(SOURCES, file)} goes through services/request.ts`);
        }
        for (const file of sourceFiles(path.join(SOURCES, 'pages'), '.ts')) {
            assert.doesNotMatch(readSource(file), /\brequest(<[^(]*>)?\(/, `${path.relative(SOURCES, file)} calls the API through a service`);
        }
    });

    it('makes the calls of the whole shop: sign-in, shops and goods, orders, pay, close, receipt, refund requests', () => {
        const calls = callsIn(services).map((call) => `${call.method} ${call.path}`);
        assert.equal(calls.length, (services.match(/\brequest(?:<[^(]*>)?\('/g) ?? []).length, 'every request(...) in the services was read');
        assert.deepEqual(calls.sort(), [
            'GET /orders', 'GET /orders/{}', 'GET /shops', 'GET /shops/{}/goods',
            'POST /orders', 'POST /orders/{}/close', 'POST /orders/{}/confirm-receipt', 'POST /orders/{}/pay', 'POST /orders/{}/refund-requests',
            'POST /users/wxLogin',
        ]);
    });

    it('calls only methods and paths that /swagger.json documents', () => {
        for (const call of callsIn(services)) {
            assert.ok(documented.has(`${call.method} ${call.path}`), `${call.method} ${call.path} is in /swagger.json`);
        }
    });

    it('is what WeChat DevTools opens: TypeScript compiled by its plugin, app.ts, app.json, and each page as .ts/.json/.wxml/.wxss', () => {
        const project = JSON.parse(readSource(path.join(PROJECT, 'project.config.json'))) as { miniprogramRoot: string; setting: { useCompilerPlugins: string[]; urlCheck: boolean } };
        assert.equal(path.resolve(PROJECT, project.miniprogramRoot), SOURCES);
        assert.deepEqual(project.setting.useCompilerPlugins, ['typescript']);
        assert.equal(project.setting.urlCheck, false, 'the API runs on http://127.0.0.1 in development');
        assert.ok(statSync(path.join(SOURCES, 'app.ts')).isFile());
        const appJson = JSON.parse(readSource(path.join(SOURCES, 'app.json'))) as { pages: string[] };
        for (const page of appJson.pages) {
            for (const extension of ['.ts', '.json', '.wxml', '.wxss']) {
                assert.ok(statSync(path.join(SOURCES, page + extension)).isFile(), page + extension);
            }
            // A page built with Component() needs usingComponents in its .json.
            assert.ok('usingComponents' in JSON.parse(readSource(path.join(SOURCES, `${page}.json`))), `${page}.json has usingComponents`);
        }
    });
});
