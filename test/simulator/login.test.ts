import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { merchant, startSimulator, type RunningSimulator } from './harness';

// jscode2session: a wx.login code is exchanged once for the user's openid and session_key.
// Errors come back as HTTP 200 with an errcode, as WeChat's do.

describe('GET /sns/jscode2session', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    const login = async (overrides: Record<string, string> = {}) => {
        const params = { appid: merchant.appId, secret: merchant.appSecret, js_code: 'alice.1', grant_type: 'authorization_code', ...overrides };
        const response = await simulator.http.get('/sns/jscode2session', { params });
        assert.equal(response.status, 200);
        return response.data as Record<string, unknown>;
    };

    it('gives a 28-character openid and a 16-byte base64 session_key', async () => {
        const reply = await login({ js_code: 'carol' });
        assert.deepEqual(Object.keys(reply).sort(), ['openid', 'session_key']);
        assert.match(reply.openid as string, /^o[A-Za-z0-9_-]{27}$/);
        assert.equal(Buffer.from(reply.session_key as string, 'base64').length, 16);
    });

    it('names the same user for codes that share the part before the first dot', async () => {
        const first = await login({ js_code: 'alice.1' });
        const second = await login({ js_code: 'alice.2' });
        const bob = await login({ js_code: 'bob.1' });
        assert.equal(first.openid, second.openid);
        assert.notEqual(first.session_key, second.session_key);
        assert.notEqual(first.openid, bob.openid);
    });

    it('refuses a code used twice with 40163', async () => {
        assert.ok((await login({ js_code: 'dave.1' })).openid);
        assert.deepEqual(await login({ js_code: 'dave.1' }), { errcode: 40163, errmsg: 'code been used' });
    });

    it('refuses a wrong appid with 40013', async () => {
        assert.deepEqual(await login({ appid: 'wx0000000000000000', js_code: 'erin.1' }), { errcode: 40013, errmsg: 'invalid appid' });
    });

    it('refuses a wrong secret with 40125', async () => {
        assert.deepEqual(await login({ secret: 'not-the-secret', js_code: 'erin.2' }), { errcode: 40125, errmsg: 'invalid appsecret' });
    });

    it('refuses a missing or malformed code with 40029', async () => {
        for (const js_code of ['', 'has space', 'x'.repeat(65), 'semi;colon']) {
            assert.deepEqual(await login({ js_code }), { errcode: 40029, errmsg: 'invalid code' }, js_code);
        }
        const params = { appid: merchant.appId, secret: merchant.appSecret, grant_type: 'authorization_code' };
        assert.deepEqual((await simulator.http.get('/sns/jscode2session', { params })).data, { errcode: 40029, errmsg: 'invalid code' });
    });

    it('refuses any grant_type but authorization_code with 40002', async () => {
        assert.equal((await login({ grant_type: 'client_credential', js_code: 'frank.1' })).errcode, 40002);
    });

    it('never echoes the secret', async () => {
        const response = await simulator.http.get('/sns/jscode2session', {
            params: { appid: merchant.appId, secret: merchant.appSecret, js_code: 'gina.1', grant_type: 'authorization_code' },
            responseType: 'text',
        });
        assert.equal((response.data as string).includes(merchant.appSecret), false);
    });
});
