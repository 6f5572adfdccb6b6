import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { EXAMPLE_JWT_SECRET, EXAMPLE_MERCHANT, loadConfig } from '../src/config';

const PRODUCTION = {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-real-production-secret-of-more-than-32-chars',
    WX_APPID: 'wx1234567890abcdef',
    WX_SECRET: 'abcdefabcdefabcdefabcdefabcdef12',
    WX_MCHID: '1900000109',
    WX_PAY_API_KEY: 'k'.repeat(32),
    WX_PAY_NOTIFY_URL: 'https://shop.example.com/orders/pay/notify',
    DATABASE_URL: 'mysql://shop:pw@db.internal:3306/shop',
};

describe('configuration', () => {
    it('runs with no environment at all: SQLite, the simulator as WeChat, the dev login', () => {
        const config = loadConfig({});
        assert.equal(config.env, 'development');
        assert.deepEqual(config.database, { dialect: 'sqlite', storage: path.resolve('data/dev.sqlite'), autoMigrate: true });
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
            dialect: 'mysql', host: 'db', port: 3307, database: 'shop', username: 'shop', password: 'p@ss', autoMigrate: true,
        });
        assert.deepEqual(loadConfig({ MYSQL_HOST: 'db', MYSQL_DB_NAME: 'shop', MYSQL_USERNAME: 'u', MYSQL_PASSWORD: 'p' }).database, {
            dialect: 'mysql', host: 'db', port: 3306, database: 'shop', username: 'u', password: 'p', autoMigrate: true,
        });
    });

    it('turns the simulator off by default once a real WeChat Pay URL is given', () => {
        const config = loadConfig({ WX_PAY_BASE_URL: 'https://api.mch.weixin.qq.com' });
        assert.equal(config.simulator.enabled, false);
        assert.equal(config.wechat.apiBaseUrl, 'https://api.weixin.qq.com');
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

        it('refuses the simulator and the dev login', () => {
            assert.throws(() => loadConfig({ ...PRODUCTION, WECHAT_SIMULATOR: 'true' }), /WECHAT_SIMULATOR cannot be on/);
            assert.throws(() => loadConfig({ ...PRODUCTION, DEV_LOGIN: 'true' }), /DEV_LOGIN cannot be on/);
        });
    });
});
