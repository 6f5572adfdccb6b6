import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';

const shop = (id: number) => ({ id, name: `店铺${id}`, thumb_url: `https://picsum.photos/seed/shop${id}/200/200` });
const goods = (id: number, shopId: number, name: string, price: number) => ({
    id, shop_id: shopId, name, thumb_url: `https://picsum.photos/seed/goods${id}/200/200`, price,
});

/** A page link as path and parameters, so the order of the parameters does not matter. */
function link(url: string | null): { path: string; query: Record<string, string> } | null {
    if (url === null) {
        return null;
    }
    const parsed = new URL(url, 'http://api.invalid');
    return { path: parsed.pathname, query: Object.fromEntries([...parsed.searchParams].sort(([a], [b]) => a.localeCompare(b))) };
}

function links(body: { links: Record<string, string | null> }) {
    return Object.fromEntries(Object.entries(body.links).map(([name, url]) => [name, link(url)]));
}

const page = (path: string, pageNumber: number, limit: number) => ({ path, query: { limit: String(limit), page: String(pageNumber) } });

describe('shops and their goods', () => {
    let app: TestApp;

    before(async () => {
        app = await startTestApp({ listen: false });
    });

    after(async () => {
        await app.stop();
    });

    describe('GET /shops', () => {
        it('lists the four seeded shops, ten to a page by default, without a token', async () => {
            const response = await app.inject({ method: 'GET', url: '/shops' });
            assert.equal(response.statusCode, 200);
            const body = response.result as { results: unknown[]; totalCount: number; links: Record<string, string | null> };
            assert.deepEqual(body.results, [shop(1), shop(2), shop(3), shop(4)]);
            assert.equal(body.totalCount, 4);
            assert.deepEqual(links(body), { self: page('/shops', 1, 10), first: page('/shops', 1, 10), prev: null, next: null });
        });

        it('pages: limit=2 page=2 is shops 3 and 4, with a link back and none forward', async () => {
            const response = await app.inject({ method: 'GET', url: '/shops?limit=2&page=2' });
            assert.equal(response.statusCode, 200);
            const body = response.result as { results: unknown[]; totalCount: number; links: Record<string, string | null> };
            assert.deepEqual(body.results, [shop(3), shop(4)]);
            assert.equal(body.totalCount, 4);
            assert.deepEqual(links(body), { self: page('/shops', 2, 2), first: page('/shops', 1, 2), prev: page('/shops', 1, 2), next: null });
        });

        it('links forward from the first page', async () => {
            const body = (await app.inject({ method: 'GET', url: '/shops?limit=2' })).result as { results: unknown[]; links: Record<string, string | null> };
            assert.deepEqual(body.results, [shop(1), shop(2)]);
            assert.deepEqual(links(body), { self: page('/shops', 1, 2), first: page('/shops', 1, 2), prev: null, next: page('/shops', 2, 2) });
        });

        it('links both ways from a middle page', async () => {
            const body = (await app.inject({ method: 'GET', url: '/shops?limit=1&page=3' })).result as { results: unknown[]; links: Record<string, string | null> };
            assert.deepEqual(body.results, [shop(3)]);
            assert.deepEqual(links(body), { self: page('/shops', 3, 1), first: page('/shops', 1, 1), prev: page('/shops', 2, 1), next: page('/shops', 4, 1) });
        });

        it('answers a page past the end with no results, the total, and no next link', async () => {
            const body = (await app.inject({ method: 'GET', url: '/shops?limit=2&page=3' })).result as { results: unknown[]; totalCount: number; links: Record<string, string | null> };
            assert.deepEqual(body.results, []);
            assert.equal(body.totalCount, 4);
            assert.deepEqual(links(body).next, null);
        });

        for (const [query, field, message] of [
            ['limit=0', 'limit', '"limit" must be greater than or equal to 1'],
            ['limit=101', 'limit', '"limit" must be less than or equal to 100'],
            ['limit=abc', 'limit', '"limit" must be a number'],
            ['limit=2.5', 'limit', '"limit" must be an integer'],
            ['page=0', 'page', '"page" must be greater than or equal to 1'],
            ['page=-1', 'page', '"page" must be greater than or equal to 1'],
        ] as const) {
            it(`refuses ${query} with a 400 naming "${field}"`, async () => {
                const response = await app.inject({ method: 'GET', url: `/shops?${query}` });
                assert.equal(response.statusCode, 400);
                assert.deepEqual(JSON.parse(response.payload), { statusCode: 400, error: 'Bad Request', message });
            });
        }
    });

    describe('GET /shops/{shopId}/goods', () => {
        it("lists shop 1's three goods with integer prices in fen", async () => {
            const response = await app.inject({ method: 'GET', url: '/shops/1/goods' });
            assert.equal(response.statusCode, 200);
            const body = response.result as { results: Array<{ price: number }>; totalCount: number; links: Record<string, string | null> };
            assert.deepEqual(body.results, [
                goods(1, 1, '商品1-1', 490),
                goods(2, 1, '商品1-2', 1280),
                goods(3, 1, '商品1-3', 2990),
            ]);
            assert.ok(body.results.every((item) => Number.isInteger(item.price)));
            assert.equal(body.totalCount, 3);
            assert.deepEqual(links(body), { self: page('/shops/1/goods', 1, 10), first: page('/shops/1/goods', 1, 10), prev: null, next: null });
        });

        it("pages a shop's goods", async () => {
            const body = (await app.inject({ method: 'GET', url: '/shops/1/goods?limit=2&page=2' })).result as { results: unknown[]; totalCount: number; links: Record<string, string | null> };
            assert.deepEqual(body.results, [goods(3, 1, '商品1-3', 2990)]);
            assert.equal(body.totalCount, 3);
            assert.deepEqual(links(body), {
                self: page('/shops/1/goods', 2, 2), first: page('/shops/1/goods', 1, 2), prev: page('/shops/1/goods', 1, 2), next: null,
            });
        });

        it("lists only the shop's own goods", async () => {
            const body = (await app.inject({ method: 'GET', url: '/shops/2/goods' })).result as { results: unknown[]; totalCount: number };
            assert.deepEqual(body.results, [goods(4, 2, '商品2-1', 880)]);
            assert.equal(body.totalCount, 1);
        });

        it('answers a shop without goods with an empty page', async () => {
            const body = (await app.inject({ method: 'GET', url: '/shops/3/goods' })).result as { results: unknown[]; totalCount: number };
            assert.deepEqual(body.results, []);
            assert.equal(body.totalCount, 0);
        });

        it('answers a shop that does not exist with a 404 naming it', async () => {
            const response = await app.inject({ method: 'GET', url: '/shops/999/goods' });
            assert.equal(response.statusCode, 404);
            const body = JSON.parse(response.payload) as { statusCode: number; error: string; message: string };
            assert.deepEqual({ statusCode: body.statusCode, error: body.error }, { statusCode: 404, error: 'Not Found' });
            assert.match(body.message, /\b999\b/);
        });

        for (const shopId of ['abc', '0', '1.5', '99999999999']) {
            it(`refuses the shop id ${shopId} with a 400 naming "shopId"`, async () => {
                const response = await app.inject({ method: 'GET', url: `/shops/${shopId}/goods` });
                assert.equal(response.statusCode, 400);
                const body = JSON.parse(response.payload) as { statusCode: number; error: string; message: string };
                assert.deepEqual({ statusCode: body.statusCode, error: body.error }, { statusCode: 400, error: 'Bad Request' });
                assert.match(body.message, /^"shopId" /);
            });
        }

        it('refuses bad paging on goods as on shops', async () => {
            const response = await app.inject({ method: 'GET', url: '/shops/1/goods?limit=101' });
            assert.deepEqual(JSON.parse(response.payload), { statusCode: 400, error: 'Bad Request', message: '"limit" must be less than or equal to 100' });
        });
    });
});
