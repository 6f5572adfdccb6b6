import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { EXAMPLE_JWT_SECRET, EXAMPLE_MERCHANT, loadConfig } from '../src/config';
import { PRODUCTION_ENV } from './helpers/production-env';

const PRODUCTION = PRODUCTION_ENV;

describe('configuration', () => {
    it('runs with no environment at all: SQLite, the simulator as WeChat, the dev login', () => {
        const config = loadConfig({});
        assert.equal(config.env, 'development');
        assert.deepEqual(config.database, {
            dialect: 'sqlite', storage: path.resolve('data/dev.sqlite'), autoMigrate: true, statementTimeoutMs: 2000, poolAcquireTimeoutMs: 3000,
        });
        assert.equal(config.simulator.enabled, true);
        assert.equal(config.devLogin, true);
        assert.equal(config.wechat.appId, EXAMPLE_MERCHANT.appId);
        assert.equal(config.wechat.apiKey, EXAMPLE_MERCHANT.apiKey);
        assert.equal(config.wechat.payBaseUrl, 'http://127.0.0.1:3000/__wechat');
        assert.equal(config.wechat.notifyUrl, 'http://127.0.0.1:3000/orders/pay/notify');
        assert.equal(config.wechat.signType, 'MD5');
        assert.equal(config.wechat.httpTimeoutMs, 5000);
    });

    it('names the variable when a value is invalid', () => {
        assert.throws(() => loadConfig({ PORT: 'eighty' }), /^Error: Invalid configuration: "PORT" must be a number$/);
        assert.throws(() => loadConfig({ WX_PAY_SIGN_TYPE: 'SHA1' }), /"WX_PAY_SIGN_TYPE" must be one of \[MD5, HMAC-SHA256\]/);
        assert.throws(() => loadConfig({ JWT_EXPIRES_IN: '7' }), /JWT_EXPIRES_IN/);
        assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://x@y/z' }), /DATABASE_URL scheme "postgres:" is not supported/);
    });

    it('reads MySQL from DATABASE_URL, or from the tutorial\'s MYSQL_* variables', () => {
        assert.deepEqual(loadConfig({ DATABASE_URL: 'mysql://shop:p%40ss@db:3307/shop' }).database, {
            dialect: 'mysql', host: 'db', port: 3307, database: 'shop', username: 'shop', password: 'p@ss', autoMigrate: true, statementTimeoutMs: 2000, poolAcquireTimeoutMs: 3000,
        });
        assert.deepEqual(loadConfig({ MYSQL_HOST: 'db', MYSQL_DB_NAME: 'shop', MYSQL_USERNAME: 'u', MYSQL_PASSWORD: 'p' }).database, {
            dialect: 'mysql', host: 'db', port: 3306, database: 'shop', username: 'u', password: 'p', autoMigrate: true, statementTimeoutMs: 2000, poolAcquireTimeoutMs: 3000,
        });
    });

    it('turns the simulator off by default once a real WeChat Pay URL is given', () => {
        const config = loadConfig({ WX_PAY_BASE_URL: 'https://api.mch.weixin.qq.com' });
        assert.equal(config.simulator.enabled, false);
        assert.equal(config.wechat.apiBaseUrl, 'https://api.weixin.qq.com');
    });

    it('bounds clients, routes and statements in seconds by default', () => {
        assert.deepEqual(loadConfig({}).http, {
            headersTimeoutMs: 10_000,
            requestTimeoutMs: 30_000,
            payloadTimeoutMs: 10_000,
            idleTimeoutMs: 5000,
            routeTimeoutMs: 15_000,
            notifyRouteTimeoutMs: 4000,
            maxConnections: 1000,
        });
    });

    it('keeps the limits in an order that works, naming the variables when they are not', () => {
        // WeChat waits 5 s for a notification's answer: FAIL must reach it before that.
        assert.throws(() => loadConfig({ NOTIFY_ROUTE_TIMEOUT_MS: '5000' }), /"NOTIFY_ROUTE_TIMEOUT_MS" must be less than or equal to 4500/);
        // The pay route must outlast WeChat's own timeout, or the caller gets 503 instead of 504.
        assert.throws(() => loadConfig({ ROUTE_TIMEOUT_MS: '5000' }), /"ROUTE_TIMEOUT_MS" must be greater than ref:WX_HTTP_TIMEOUT_MS/);
        // A statement or a wait for a pooled connection must end before the notify route's deadline.
        assert.throws(() => loadConfig({ DB_POOL_ACQUIRE_TIMEOUT_MS: '4000' }), /"DB_POOL_ACQUIRE_TIMEOUT_MS" must be less than ref:NOTIFY_ROUTE_TIMEOUT_MS/);
        assert.throws(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '4000' }), /"DB_STATEMENT_TIMEOUT_MS" must be less than ref:NOTIFY_ROUTE_TIMEOUT_MS/);
        assert.throws(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }), /"HTTP_REQUEST_TIMEOUT_MS" must be greater than or equal to ref:HTTP_HEADERS_TIMEOUT_MS/);
    });

    describe('with a real merchant secret, whatever NODE_ENV says (unset, development, test)', () => {
        const realKey = { WX_PAY_API_KEY: PRODUCTION.WX_PAY_API_KEY };
        const realSecret = { WX_SECRET: PRODUCTION.WX_SECRET };
        const noConveniences = { WECHAT_SIMULATOR: 'false', DEV_LOGIN: 'false', JWT_SECRET: PRODUCTION.JWT_SECRET };

        for (const nodeEnv of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }]) {
            const label = (nodeEnv as { NODE_ENV?: string }).NODE_ENV ?? 'unset';
            it(`refuses the in-process simulator, the dev login and the default JWT secret (NODE_ENV ${label})`, () => {
                for (const merchant of [realKey, realSecret]) {
                    const [name] = Object.keys(merchant);
                    assert.throws(() => loadConfig({ ...nodeEnv, ...merchant }),
                        new RegExp(`^Error: Invalid configuration: ${name} is not the example merchant's, so the in-process WeChat simulator \\(set WECHAT_SIMULATOR=false\\) cannot be used$`));
                    assert.throws(() => loadConfig({ ...nodeEnv, ...merchant, ...noConveniences, DEV_LOGIN: 'true' }), /so the dev login \(set DEV_LOGIN=false\) cannot be used$/);
                    const { JWT_SECRET: _default, ...withoutJwtSecret } = noConveniences;
                    assert.throws(() => loadConfig({ ...nodeEnv, ...merchant, ...withoutJwtSecret }), /so the default JWT secret \(set JWT_SECRET to a random value\) cannot be used$/);
                    assert.throws(() => loadConfig({ ...nodeEnv, ...merchant, ...noConveniences, JWT_SECRET: EXAMPLE_JWT_SECRET }), /the default JWT secret/);
                    assert.equal(loadConfig({ ...nodeEnv, ...merchant, ...noConveniences }).simulator.enabled, false);
                }
            });
        }

        it("still runs every convenience with the example merchant's own secrets", () => {
            const config = loadConfig({ WX_PAY_API_KEY: EXAMPLE_MERCHANT.apiKey, WX_SECRET: EXAMPLE_MERCHANT.appSecret });
            assert.equal(config.simulator.enabled, true);
            assert.equal(config.devLogin, true);
        });

        it('lets the standalone simulator hold the merchant key: it plays WeChat', () => {
            const config = loadConfig({ ...realKey, ...realSecret }, { process: 'simulator' });
            assert.equal(config.wechat.apiKey, realKey.WX_PAY_API_KEY);
        });
    });

    describe('in production', () => {
        it('starts with real secrets, and neither the simulator nor the dev login', () => {
            const config = loadConfig(PRODUCTION);
            assert.equal(config.simulator.enabled, false);
            assert.equal(config.devLogin, false);
            assert.equal(config.database.autoMigrate, false);
            assert.equal(config.wechat.payBaseUrl, 'https://api.mch.weixin.qq.com');
        });

        it('refuses a missing JWT_SECRET, naming it', () => {
            const { JWT_SECRET: _omitted, ...env } = PRODUCTION;
            assert.throws(() => loadConfig(env), /JWT_SECRET is required/);
        });

        it('refuses a short or example JWT secret', () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, JWT_SECRET: 'short' }), /"JWT_SECRET" length must be at least 32/);
            assert.throws(() => loadConfig({ ...PRODUCTION, JWT_SECRET: EXAMPLE_JWT_SECRET }), /JWT_SECRET must not be the example/);
        });

        it('refuses missing or example WeChat credentials', () => {
            for (const name of ['WX_APPID', 'WX_SECRET', 'WX_MCHID', 'WX_PAY_API_KEY', 'WX_PAY_NOTIFY_URL'] as const) {
                const env: Record<string, string> = { ...PRODUCTION };
                delete env[name];
                assert.throws(() => loadConfig(env), new RegExp(`${name} is required`));
            }
            assert.throws(() => loadConfig({ ...PRODUCTION, WX_PAY_API_KEY: EXAMPLE_MERCHANT.apiKey }), /must not be the example/);
        });

        it('refuses plain http:// WeChat and notify URLs, except to this machine', () => {
            for (const name of ['WX_API_BASE_URL', 'WX_PAY_BASE_URL', 'WX_PAY_NOTIFY_URL']) {
                assert.throws(() => loadConfig({ ...PRODUCTION, [name]: 'http://api.mch.weixin.qq.com' }),
                    new RegExp(`^Error: Invalid configuration: ${name} must be https:// \\(http:// only to a loopback host\\) \\(NODE_ENV=production\\)$`));
                for (const loopback of ['http://127.0.0.1:3100', 'http://127.8.9.10', 'http://localhost:3100', 'http://[::1]:3100']) {
                    assert.doesNotThrow(() => loadConfig({ ...PRODUCTION, [name]: loopback }), `${name}=${loopback}`);
                }
            }
            assert.throws(() => loadConfig({ ...PRODUCTION, WX_PAY_BASE_URL: 'http://127.0.0.1.example.com' }), /WX_PAY_BASE_URL must be https/);
        });

        it('refuses a JWT secret or an API key with fewer than 10 distinct characters', () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, JWT_SECRET: 'a'.repeat(32) }), /^Error: Invalid configuration: JWT_SECRET must have at least 10 distinct characters \(use a random value\) \(NODE_ENV=production\)$/);
            assert.throws(() => loadConfig({ ...PRODUCTION, JWT_SECRET: '012345678'.repeat(4) }), /JWT_SECRET must have at least 10 distinct characters/);
            assert.throws(() => loadConfig({ ...PRODUCTION, WX_PAY_API_KEY: '0'.repeat(32) }), /WX_PAY_API_KEY must have at least 10 distinct characters/);
            assert.throws(() => loadConfig({ ...PRODUCTION, WX_PAY_API_KEY: 'ab'.repeat(16) }), /WX_PAY_API_KEY must have at least 10 distinct characters/);
        });

        it('refuses a JWT secret equal to the API key', () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, JWT_SECRET: PRODUCTION.WX_PAY_API_KEY }), /JWT_SECRET must not be the WeChat Pay API key/);
        });

        it("refuses WeChat's example appid or mch_id", () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, WX_APPID: EXAMPLE_MERCHANT.appId }), /WX_APPID and WX_MCHID must not be WeChat's example merchant/);
            assert.throws(() => loadConfig({ ...PRODUCTION, WX_MCHID: EXAMPLE_MERCHANT.mchId }), /WX_APPID and WX_MCHID must not be WeChat's example merchant/);
        });

        it('names every missing setting at once, one line each', () => {
            const { NODE_ENV, DATABASE_URL } = PRODUCTION;
            assert.throws(() => loadConfig({ NODE_ENV, DATABASE_URL, PORT: 'eighty' }), (error: Error) => {
                const lines = error.message.split('\n');
                assert.equal(lines[0], 'Invalid configuration, 8 problems:');
                assert.deepEqual(lines.slice(1), [
                    '  - "PORT" must be a number',
                    '  - JWT_SECRET is required, at least 32 characters (NODE_ENV=production)',
                    ...['WX_APPID', 'WX_SECRET', 'WX_MCHID', 'WX_PAY_API_KEY', 'WX_PAY_NOTIFY_URL'].map((name) => `  - ${name} is required (NODE_ENV=production)`),
                    '  - STAFF_SESSION_SECRET is required, at least 32 characters (NODE_ENV=production)',
                ]);
                return true;
            });
        });

        it('does not repeat a variable its own check refused', () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, JWT_SECRET: 'short' }), { message: 'Invalid configuration: "JWT_SECRET" length must be at least 32 characters long' });
        });

        it('refuses the simulator and the dev login, once each', () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, WECHAT_SIMULATOR: 'true' }), { message: 'Invalid configuration: WECHAT_SIMULATOR cannot be on (NODE_ENV=production)' });
            assert.throws(() => loadConfig({ ...PRODUCTION, DEV_LOGIN: 'true' }), { message: 'Invalid configuration: DEV_LOGIN cannot be on (NODE_ENV=production)' });
        });
    });
});
