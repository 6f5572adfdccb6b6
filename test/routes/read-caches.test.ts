import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/wait';

/** Long enough that two requests in a row fall inside it on a loaded machine, short enough to wait out. */
const TTL_MS = 2000;

describe('read-mostly caches: shops, goods and a token\'s user (CACHE_TTL_MS)', () => {
    let app: TestApp;
    let queries = 0;

    before(async () => {
        app = await startTestApp({ env: { CACHE_TTL_MS: String(TTL_MS) } });
        app.server.app.models.sequelize.addHook('beforeQuery', () => {
            queries += 1;
        });
    });

    after(async () => {
        await app.stop();
    });

    /** The SQL statements `action` made. */
    async function queriesDuring(action: () => Promise<unknown>): Promise<number> {
        const before = queries;
        await action();
        return queries - before;
    }

    const get = async (url: string, headers: Record<string, string> = {}) => {
        const response = await app.inject({ method: 'GET', url, headers });
        assert.equal(response.statusCode, 200, response.payload);
        return response.result as { results: Array<{ id: number; name: string; price?: number }> };
    };

    it('serves GET /shops again without a query, and shows a renamed shop once the ttl has passed', async () => {
        assert.ok(await queriesDuring(() => get('/shops?limit=3')) > 0);
        const { Shop } = app.server.app.models;
        await Shop.update({ name: 'renamed' }, { where: { id: 1 } });
        let cached: Awaited<ReturnType<typeof get>> | undefined;
        assert.equal(await queriesDuring(async () => {
            cached = await get('/shops?limit=3');
        }), 0);
        assert.equal(cached!.results[0]!.name, '店铺1', 'still the cached page');
        await eventually('the new name', async () => ((await get('/shops?limit=3')).results[0]!.name === 'renamed' ? true : undefined), TTL_MS + 8000, 100);
    });

    it('serves a goods page again without a query; a price change shows after the ttl, but an order always pays the database price', async () => {
        const { token } = await app.login();
        assert.ok(await queriesDuring(() => get('/shops/1/goods')) > 0);
        const { Goods } = app.server.app.models;
        await Goods.update({ price: 777 }, { where: { id: 1 } });
        assert.equal(await queriesDuring(() => get('/shops/1/goods')), 0);
        assert.equal((await get('/shops/1/goods')).results[0]!.price, 490, 'still the cached page');

        const order = await app.inject({ method: 'POST', url: '/orders', headers: bearer(token), payload: { goodsList: [{ goods_id: 1, count: 2 }] } });
        assert.equal(order.statusCode, 201, order.payload);
        assert.equal((order.result as { total_fee: number }).total_fee, 1554, 'the new price, from the database');

        await eventually('the new price', async () => ((await get('/shops/1/goods')).results[0]!.price === 777 ? true : undefined), TTL_MS + 8000, 100);
    });

    it('does not keep "no such shop": a shop created afterwards shows at once', async () => {
        assert.equal((await app.inject({ method: 'GET', url: '/shops/99/goods' })).statusCode, 404);
        await app.server.app.models.Shop.create({ id: 99, name: 'new', thumbUrl: null });
        assert.equal((await app.inject({ method: 'GET', url: '/shops/99/goods' })).statusCode, 200);
    });

    it("checks a token's user without a query while cached; a deleted user's token is refused once the ttl has passed", async () => {
        const { token, userId } = await app.login();
        const hello = () => app.inject({ method: 'GET', url: '/', headers: bearer(token) });
        assert.equal((await hello()).statusCode, 200);
        assert.equal(await queriesDuring(async () => assert.equal((await hello()).statusCode, 200)), 0);

        await app.server.app.models.User.destroy({ where: { id: userId } });
        assert.equal((await hello()).statusCode, 200, 'still the cached user, for at most the ttl');
        await eventually('the deleted user refused', async () => ((await hello()).statusCode === 401 ? true : undefined), TTL_MS + 8000, 100);
    });
});
