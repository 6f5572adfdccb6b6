import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import jwt from 'jsonwebtoken';

import { createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { count, findSecrets, scenario, witnessed } from './support/figures';
import { bearer, request } from './support/http';
import { NodeProcess, newCredentials, startApp, startAppWithWechat, stopAll, type Credentials, type RunningApp } from './support/processes';
import { Shop, type OrderView } from './support/shop';
import { openStore, registerSessionKeys, retireStore, type Row, type Store } from './support/store';

// Only a valid, unexpired HS256 token of an existing user opens the API, and only to that
// user's own orders; production mounts neither the dev login nor the simulator and refuses
// to start without its secrets; and no body or log line ever shows a secret.

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('auth, ownership and secrets (SQLite)', () => {
    let database: TestDatabase;
    let store: Store;
    let app: RunningApp;
    let shop: Shop;
    let credentials: Credentials;
    let alice: { token: string; userId: number };
    let bob: { token: string; userId: number };
    let order: OrderView;

    before(async () => {
        scenario('auth, ownership and secrets');
        database = await createSqliteDatabase();
        credentials = newCredentials();
        app = await startAppWithWechat('app', { ...credentials, DATABASE_URL: database.url, RECONCILE_INTERVAL_MS: '0' });
        store = await openStore(database.url);
        shop = new Shop(app.url, app.wechat);
        alice = await shop.login(`alice.${Date.now()}`);
        bob = await shop.login(`bob.${Date.now()}`);
        order = await shop.placeOrder(alice.token);
    });

    after(async () => {
        await stopAll();
        await retireStore(store);
        await database?.drop();
    });

    const protectedCalls = (orderId: number) => [
        ['GET', '/'], ['GET', '/orders'], ['GET', `/orders/${orderId}`], ['POST', `/orders/${orderId}/pay`], ['POST', `/orders/${orderId}/close`],
    ] as const;

    it('answers 401 to an expired token, a wrong secret, alg none, a tampered payload, another algorithm and a deleted user', async () => {
        const secretKey = credentials.JWT_SECRET;
        const [header, , signature] = bob.token.split('.');
        const carol = await shop.login(`carol.${Date.now()}`);
        await store.run('DELETE FROM users WHERE id = ?', [carol.userId]);

        const tokens: Array<[string, string]> = [
            ['expired', jwt.sign({ userId: alice.userId, exp: Math.floor(Date.now() / 1000) - 60 }, secretKey, { algorithm: 'HS256' })],
            ['signed with another secret', jwt.sign({ userId: alice.userId }, 'x'.repeat(48), { algorithm: 'HS256' })],
            ['alg none', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ userId: alice.userId })}.`],
            ['alg none, signature kept', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ userId: alice.userId })}.${signature}`],
            ["bob's signature on alice's id", `${header}.${base64url({ userId: alice.userId, iat: Math.floor(Date.now() / 1000) })}.${signature}`],
            ['HS512 with the right secret', jwt.sign({ userId: alice.userId }, secretKey, { algorithm: 'HS512' })],
            ['a deleted user', carol.token],
            ['userId as text', jwt.sign({ userId: String(alice.userId) }, secretKey, { algorithm: 'HS256' })],
            ['userId 0', jwt.sign({ userId: 0 }, secretKey, { algorithm: 'HS256' })],
            ['no userId', jwt.sign({ sub: String(alice.userId) }, secretKey, { algorithm: 'HS256' })],
            ['not yet valid', jwt.sign({ userId: alice.userId, nbf: Math.floor(Date.now() / 1000) + 3600 }, secretKey, { algorithm: 'HS256' })],
            ['garbage', 'not.a.token'],
        ];
        const wrong: string[] = [];
        for (const [what, token] of tokens) {
            for (const [method, path] of protectedCalls(order.id)) {
                count('hostile');
                const reply = await request(`${app.url}${path}`, { method, headers: bearer(token) });
                if (reply.status !== 401) {
                    wrong.push(`${what}: ${method} ${path} → ${reply.status} ${reply.text.slice(0, 100)}`);
                }
            }
        }
        count('hostile');
        const inQuery = await request(`${app.url}/orders?token=${alice.token}`);
        assert.equal(inQuery.status, 401, 'a token in the URL is not read');
        assert.deepEqual(wrong, []);
        assert.equal((await request(`${app.url}/orders/${order.id}`, { headers: bearer(alice.token) })).status, 200, "alice's own token still works");
    });

    it("answers 404 to another user's order on GET, pay and close, exactly as for an order that does not exist, and changes nothing", async () => {
        const before = await store.all<Row>('SELECT * FROM orders WHERE id = ?', [order.id]);
        const missing = order.id + 1000;
        for (const [method, path] of protectedCalls(order.id).slice(2)) {
            count('hostile');
            const theirs = await request(`${app.url}${path}`, { method, headers: bearer(bob.token) });
            const nobodys = await request(`${app.url}${path.replace(String(order.id), String(missing))}`, { method, headers: bearer(bob.token) });
            assert.equal(theirs.status, 404, `${method} ${path}: ${theirs.text}`);
            assert.equal(theirs.text, nobodys.text.replace(String(missing), String(order.id)), 'no hint that the order exists');
        }
        const listed = await request(`${app.url}/orders`, { headers: bearer(bob.token) });
        assert.equal((JSON.parse(listed.text) as { totalCount: number }).totalCount, 0, "bob lists none of alice's orders");
        const after = await store.all<Row>('SELECT * FROM orders WHERE id = ?', [order.id]);
        count('wrongOrders', JSON.stringify(after) === JSON.stringify(before) ? 0 : 1);
        assert.deepEqual(after, before);
    });

    describe('in production', () => {
        let production: RunningApp;
        let productionDatabase: TestDatabase;
        let productionEnv: Record<string, string>;

        before(async () => {
            productionDatabase = await createSqliteDatabase();
            productionEnv = {
                ...newCredentials(),
                NODE_ENV: 'production',
                WX_PAY_NOTIFY_URL: 'https://shop.example.com/orders/pay/notify',
                // Never called here: nothing in these tests reaches WeChat.
                WX_PAY_BASE_URL: 'http://127.0.0.1:9',
                WX_API_BASE_URL: 'http://127.0.0.1:9',
                DATABASE_URL: productionDatabase.url,
                DB_AUTO_MIGRATE: 'true',
            };
            production = await startApp('production app', productionEnv);
        });

        after(async () => {
            await production?.process.stop();
            await productionDatabase?.drop();
        });

        it('has neither the dev login nor the simulator (404), and is otherwise up', async () => {
            assert.equal((await request(`${production.url}/health`)).status, 200);
            assert.equal((await request(`${production.url}/shops`)).status, 200);
            const hidden: Array<[string, string]> = [
                ['POST', '/users/createJWT'],
                ['GET', '/__wechat/simulator/notifications'],
                ['POST', '/__wechat/simulator/pay'],
                ['POST', '/__wechat/simulator/faults'],
                ['GET', '/__wechat/sns/jscode2session?appid=x&secret=y&js_code=z&grant_type=authorization_code'],
                ['POST', '/__wechat/pay/unifiedorder'],
                ['POST', '/__wechat/pay/orderquery'],
            ];
            for (const [method, path] of hidden) {
                count('hostile');
                const reply = await request(`${production.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
                assert.equal(reply.status, 404, `${method} ${path}: ${reply.status} ${reply.text}`);
            }
        });

        it('refuses to start without JWT_SECRET (or with the simulator or dev login on): exit code ≠ 0 and one line naming the cause', async () => {
            const { JWT_SECRET: _dropped, ...withoutSecret } = productionEnv;
            const cases: Array<[string, Record<string, string>, RegExp]> = [
                ['no JWT_SECRET', withoutSecret, /JWT_SECRET/],
                ['WECHAT_SIMULATOR on', { ...productionEnv, WECHAT_SIMULATOR: 'true' }, /WECHAT_SIMULATOR/],
                ['DEV_LOGIN on', { ...productionEnv, DEV_LOGIN: 'true' }, /DEV_LOGIN/],
            ];
            await Promise.all(cases.map(async ([what, env, names]) => {
                const child = new NodeProcess(`production, ${what}`, 'src/index.ts', { ...env, HOST: '127.0.0.1', PORT: '9' });
                const timer = setTimeout(() => child.signal('SIGKILL'), 20_000);
                const exit = await child.exited;
                clearTimeout(timer);
                const printed = child.lines.filter((line) => line.trim() !== '');
                assert.notEqual(exit.code, 0, `${what}: ${JSON.stringify(exit)}`);
                assert.equal(exit.signal, null, `${what}: it exited by itself`);
                assert.equal(printed.length, 1, `${what}: ${JSON.stringify(printed)}`);
                assert.match(printed[0]!, names);
            }));
        });
    });

    it('shows no secret (API key, JWT secret, app secret, any session_key) in any response body or log line', async () => {
        await registerSessionKeys(store);
        const sessionKeys = await store.all<{ session_key: string }>('SELECT session_key FROM users WHERE session_key IS NOT NULL');
        assert.ok(sessionKeys.length >= 2, 'the logins stored session keys to look for');
        const leaks = findSecrets(witnessed());
        count('leakedSecrets', leaks.length);
        assert.deepEqual(leaks.slice(0, 5), [], `${leaks.length} leaks`);
    });
});
