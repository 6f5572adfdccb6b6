import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../test/helpers/app';
import { openBrowser, type Browser } from './browser';

// Swagger UI as a developer uses it, in a real browser: every tag and route with its words,
// Authorize with a token from wxLogin, and Try it out on GET and POST /orders.

interface Swagger {
    info: { title: string };
    tags: Array<{ name: string; description: string }>;
    paths: Record<string, Record<string, { operationId: string; summary: string; tags: string[] }>>;
}

describe('Swagger UI at /documentation', () => {
    let app: TestApp;
    let browser: Browser;
    let swagger: Swagger;
    let token: string;

    before(async () => {
        app = await startTestApp();
        swagger = JSON.parse((await app.inject({ method: 'GET', url: '/swagger.json' })).payload) as Swagger;
        ({ token } = await app.login());
        browser = await openBrowser();
        await browser.page.goto(`${app.server.info.uri}/documentation`);
        await browser.page.locator('.swagger-ui .info .title').filter({ hasText: swagger.info.title }).waitFor();
    });

    after(async () => {
        await browser?.close();
        await app.stop();
    });

    const operation = (tag: string, path: string, method: string) =>
        browser.page.locator(`#operations-${tag}-${swagger.paths[path]![method]!.operationId}`);

    it('shows every tag with its description, and every route with its summary', async () => {
        const { page } = browser;
        for (const tag of swagger.tags) {
            const heading = page.locator(`h3.opblock-tag[data-tag="${tag.name}"]`);
            await heading.waitFor();
            assert.match(await heading.innerText(), new RegExp(tag.description.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), tag.name);
        }
        for (const [path, operations] of Object.entries(swagger.paths)) {
            for (const [method, { summary, tags }] of Object.entries(operations)) {
                const block = operation(tags[0]!, path, method);
                assert.equal(await block.locator('.opblock-summary-path').first().getAttribute('data-path'), path, `${method} ${path}`);
                assert.equal((await block.locator('.opblock-summary-description').first().innerText()).trim(), summary, `${method} ${path}`);
            }
        }
        await browser.screenshot('swagger-overview');
    });

    it('takes a token from wxLogin through Authorize', async () => {
        const { page } = browser;
        await page.locator('.scheme-container .btn.authorize').click();
        const dialog = page.locator('.dialog-ux');
        // The shopper's scheme; the merchant API's admin scheme has a form of its own below it.
        const jwt = dialog.locator('form').filter({ hasText: 'jwt (apiKey)' });
        await jwt.locator('input').fill(`Bearer ${token}`);
        await jwt.locator('.auth-btn-wrapper .btn.modal-btn.auth.authorize').click();
        await dialog.locator('.auth-btn-wrapper .btn-done').first().click();
        await page.locator('.scheme-container .btn.authorize.locked').waitFor();
    });

    /** Opens an operation, presses Try it out and Execute, and returns the status and body the page shows. */
    async function tryItOut(tag: string, path: string, method: string, screenshot: string): Promise<{ status: string; body: string }> {
        const block = operation(tag, path, method);
        await block.locator('.opblock-summary').first().click();
        await block.locator('.try-out__btn').click();
        await block.locator('.execute').click();
        const row = block.locator('.live-responses-table .response').first();
        await row.waitFor();
        await browser.screenshot(screenshot, block.locator('.live-responses-table'));
        return {
            status: (await row.locator('.response-col_status').innerText()).trim(),
            body: await row.locator('.response-col_description pre').first().innerText(),
        };
    }

    it('Try it out: GET /orders answers 200', async () => {
        const { status, body } = await tryItOut('orders', '/orders', 'get', 'swagger-get-orders-200');
        assert.equal(status, '200', body);
        assert.ok('results' in JSON.parse(body));
    });

    it('Try it out: POST /orders with its pre-filled example body answers 201', async () => {
        const { status, body } = await tryItOut('orders', '/orders', 'post', 'swagger-post-orders-201');
        assert.equal(status, '201', body);
        const order = JSON.parse(body) as { status: string; total_fee: number; goods: Array<{ goods_id: number; count: number }> };
        assert.equal(order.status, 'unpaid');
        assert.deepEqual(order.goods.map(({ goods_id, count }) => ({ goods_id, count })), [{ goods_id: 1, count: 1 }]);
    });
});

describe('Swagger UI and ?url=', () => {
    let app: TestApp;
    let browser: Browser;
    let evil: Server;

    before(async () => {
        app = await startTestApp();
        // A look-alike spec on another origin, served to anyone (CORS open).
        evil = createServer((_request, response) => {
            response.setHeader('access-control-allow-origin', '*');
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify({ swagger: '2.0', info: { title: 'Evil twin', version: '1' }, paths: {} }));
        });
        await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
        browser = await openBrowser();
    });

    after(async () => {
        await browser?.close();
        evil.close();
        await app.stop();
    });

    it('renders only our own spec, whatever ?url= names', async () => {
        const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/spec.json`;
        for (const query of [`?url=${encodeURIComponent(evilUrl)}`, `?configUrl=${encodeURIComponent(evilUrl)}`, '?url=/__wechat/simulator/notifications']) {
            await browser.page.goto(`${app.server.info.uri}/documentation${query}`);
            await browser.page.locator('.swagger-ui .info .title').filter({ hasText: 'WeChat mini-program shop API' }).waitFor();
            assert.equal(await browser.page.getByText('Evil twin').count(), 0, query);
        }
        await browser.screenshot('swagger-ignores-url-query');
    });
});
