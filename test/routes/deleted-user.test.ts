import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TOKEN_ERRORS } from '../../src/plugins/auth-errors';
import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';

// A token's user is cached for CACHE_TTL_MS, so a deleted user's token still passes the token
// check for that long. A request that then needs the user's row is refused as the token check
// refuses a token whose user is gone: 401, never a 500 from the database's foreign key.
for (const { kind, create } of databaseKinds()) {
    describe(`a deleted user's cached token on ${kind}`, () => {
        let app: TestApp;
        before(async () => {
            // Long enough that the whole test runs inside the cache's ttl.
            app = await startTestApp({ database: await create(), env: { CACHE_TTL_MS: '600000' } });
        });
        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        it('gets 401 from POST /orders, with the words of the token check', async () => {
            const { token, userId } = await app.login();
            assert.equal((await app.inject({ method: 'GET', url: '/', headers: bearer(token) })).statusCode, 200, 'the user is now cached');
            await app.server.app.models.User.destroy({ where: { id: userId } });

            const response = await app.inject({ method: 'POST', url: '/orders', headers: bearer(token), payload: { goodsList: [{ goods_id: 1, count: 1 }] } });
            assert.equal(response.statusCode, 401, response.payload);
            assert.deepEqual(JSON.parse(response.payload), { statusCode: 401, error: 'Unauthorized', message: TOKEN_ERRORS.unknown });
            assert.match(String(response.headers['www-authenticate']), /^Bearer/);
            assert.equal(await app.server.app.models.Order.count({ where: { userId } }), 0);
        });
    });
}
