import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { atWechat, correct, EXPRESS, FAST_UPLOADS, injectFault, paidOrder, settledShipment, ship, tokenCounts } from './support';

// WeChat's access token comes from stable_token, is kept in the database for every instance
// (one fetch for all of them), is replaced once when WeChat calls it stale, and is never logged.
for (const { kind, create } of databaseKinds()) {
    describe(`the shared access token on ${kind}`, () => {
        let first: TestApp;
        let second: TestApp;
        before(async () => {
            const database = await create();
            first = await startTestApp({ database, env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS } });
            // The second instance calls the first one's simulator: one WeChat for both.
            second = await startTestApp({ database, env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS, WX_API_BASE_URL: `${first.server.info.uri}/__wechat` } });
        });
        after(async () => {
            await second.stop();
            await first.stop();
            await first.database.drop();
        });

        it('is fetched once for two instances asking at the same time', async () => {
            const asks = [first, second, first, second, first, second].map((app) => app.server.services().accessTokens.current());
            const tokens = await Promise.all(asks);
            assert.equal(new Set(tokens).size, 1);
            assert.equal((await tokenCounts(first)).issued, 1);
            assert.equal(await second.server.services().accessTokens.current(), tokens[0]);
            assert.equal((await tokenCounts(first)).issued, 1, 'a cached token is not fetched again');
        });

        it('is replaced once when WeChat answers that it expired, and the upload goes through', async () => {
            const order = await paidOrder(first);
            assert.equal((await ship(first, order.id)).statusCode, 201);
            const shipped = await settledShipment(first, order.id);
            const before = await tokenCounts(first);

            const expired = await first.inject({ method: 'POST', url: '/__wechat/simulator/access-tokens/expire' });
            assert.equal(expired.statusCode, 204);
            assert.equal((await correct(second, order.id, shipped.id, { ...EXPRESS, tracking_no: 'YT0000000000002' })).statusCode, 200);
            const corrected = await settledShipment(second, order.id, 2);
            assert.equal(corrected.upload.state, 'uploaded');
            assert.equal(corrected.upload.attempts, 0, 'the refresh happened within the one attempt');

            const afterCounts = await tokenCounts(first);
            assert.equal(afterCounts.issued, before.issued + 1, 'one new token');
            assert.equal(afterCounts.refused, before.refused + 1, 'one call refused for the stale token');
            assert.equal((await atWechat(first, order.transactionId)).last.shipping_list[0]!.tracking_no, 'YT0000000000002');
        });

        it('is refetched after a stable_token failure instead of being cached as broken', async () => {
            await first.inject({ method: 'POST', url: '/__wechat/simulator/access-tokens/expire' });
            await first.server.app.models.WechatAccessToken.update({ accessToken: null, expiresAt: null }, { where: {} });
            await injectFault(first, 'stable_token', 'systemerror', 1);
            await assert.rejects(first.server.services().accessTokens.current(), /WeChat stable_token failed: system error \(errcode -1\)/);
            assert.ok(await first.server.services().accessTokens.current());
        });

        it('never appears in either instance\'s logs', async () => {
            const row = await first.server.app.models.WechatAccessToken.findByPk(first.config.wechat.appId);
            for (const app of [first, second]) {
                assert.ok(app.logs.length > 0);
                assert.ok(!app.logs.some((line) => line.includes(row!.accessToken!)));
            }
        });
    });
}

describe("the simulator's stable_token", () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false });
    });
    after(() => app.stop());

    const stableToken = (payload: object) => app.inject({ method: 'POST', url: '/__wechat/cgi-bin/stable_token', payload });

    it("answers WeChat's errcodes for a wrong appid or secret, and 7200 seconds of life otherwise", async () => {
        const { appId, appSecret } = app.config.wechat;
        const base = { grant_type: 'client_credential', appid: appId, secret: appSecret };
        assert.deepEqual((await stableToken({ ...base, appid: 'wx0000000000000000' })).result, { errcode: 40013, errmsg: 'invalid appid' });
        assert.deepEqual((await stableToken({ ...base, secret: 'wrong' })).result, { errcode: 40125, errmsg: 'invalid appsecret' });
        const issued = (await stableToken(base)).result as { access_token: string; expires_in: number };
        assert.ok(issued.access_token.length >= 32);
        assert.ok(issued.expires_in > 7190 && issued.expires_in <= 7200);
        assert.equal(((await stableToken(base)).result as { access_token: string }).access_token, issued.access_token, 'the stable token is shared, not replaced');
    });
});
