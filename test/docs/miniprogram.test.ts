import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';

// The example mini-program (examples/miniprogram) calls only routes the API documents:
// every request(method, path) in its api.js is an operation in /swagger.json.

const EXAMPLE = path.resolve(__dirname, '../../examples/miniprogram');

/** `request('GET', `/orders/${orderId}`)` → GET /orders/{} ; placeholders compare by position only. */
function callsIn(source: string): Array<{ method: string; path: string }> {
    const calls = [...source.matchAll(/request\(\s*'([A-Z]+)'\s*,\s*[`'"]([^`'"]+)[`'"]/g)];
    return calls.map(([, method, template]) => ({ method: method!, path: template!.replace(/\$\{[^}]+\}/g, '{}') }));
}

function jsFiles(directory: string): string[] {
    return readdirSync(directory).flatMap((name) => {
        const file = path.join(directory, name);
        return statSync(file).isDirectory() ? jsFiles(file) : name.endsWith('.js') ? [file] : [];
    });
}

describe('the example mini-program', () => {
    let app: TestApp;
    let documented: Set<string>;
    const api = readFileSync(path.join(EXAMPLE, 'api.js'), 'utf8');

    before(async () => {
        app = await startTestApp({ listen: false });
        const swagger = JSON.parse((await app.inject({ method: 'GET', url: '/swagger.json' })).payload) as { paths: Record<string, object> };
        documented = new Set(Object.entries(swagger.paths).flatMap(([route, operations]) =>
            Object.keys(operations).map((method) => `${method.toUpperCase()} ${route.replace(/\{[^}]+\}/g, '{}')}`)));
    });

    after(async () => {
        await app.stop();
    });

    it('calls the API only through api.js, and only there through wx.request', () => {
        assert.equal((api.match(/wx\.request\(/g) ?? []).length, 1);
        for (const file of jsFiles(EXAMPLE).filter((file) => !['api.js', 'config.js'].includes(path.basename(file)))) {
            assert.doesNotMatch(readFileSync(file, 'utf8'), /wx\.request\(|API_BASE/, `${path.relative(EXAMPLE, file)} goes through api.js`);
        }
    });

    it('makes the calls of the whole loop: login, goods, order, pay, poll', () => {
        const calls = callsIn(api).map((call) => `${call.method} ${call.path}`);
        assert.equal(calls.length, (api.match(/request\('/g) ?? []).length, 'every request(...) in api.js was read');
        assert.deepEqual(calls.sort(), [
            'GET /orders/{}', 'GET /shops', 'GET /shops/{}/goods', 'POST /orders', 'POST /orders/{}/pay', 'POST /users/wxLogin',
        ]);
    });

    it('calls only methods and paths that /swagger.json documents', () => {
        for (const call of callsIn(api)) {
            assert.ok(documented.has(`${call.method} ${call.path}`), `${call.method} ${call.path} is in /swagger.json`);
        }
    });

    it('has what WeChat DevTools opens: app.js, app.json, project.config.json, and each page as .js/.json/.wxml/.wxss', () => {
        const appJson = JSON.parse(readFileSync(path.join(EXAMPLE, 'app.json'), 'utf8')) as { pages: string[] };
        JSON.parse(readFileSync(path.join(EXAMPLE, 'project.config.json'), 'utf8'));
        assert.ok(statSync(path.join(EXAMPLE, 'app.js')).isFile());
        for (const page of appJson.pages) {
            for (const extension of ['.js', '.json', '.wxml', '.wxss']) {
                assert.ok(statSync(path.join(EXAMPLE, page + extension)).isFile(), page + extension);
            }
        }
    });
});
