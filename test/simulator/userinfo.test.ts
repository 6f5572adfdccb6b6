import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { decryptUserInfo } from '../../src/wechat/user-info';
import { merchant, startSimulator, type RunningSimulator } from './harness';

// POST /simulator/userinfo gives what wx.getUserInfo gives the mini-program: the profile
// encrypted (AES-128-CBC) under the session_key that jscode2session hands out for that code.

describe('POST /simulator/userinfo', () => {
    let simulator: RunningSimulator;
    before(async () => {
        simulator = await startSimulator();
    });
    after(() => simulator.server.stop());

    const sessionFor = async (code: string) => {
        const params = { appid: merchant.appId, secret: merchant.appSecret, js_code: code, grant_type: 'authorization_code' };
        return (await simulator.http.get('/sns/jscode2session', { params })).data as { openid: string; session_key: string };
    };

    const decrypt = (encryptedData: string, iv: string, sessionKey: string) => {
        const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
        return JSON.parse(Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]).toString('utf8'));
    };

    const profile = { nickName: '小明', avatarUrl: 'https://example.com/a.png', gender: 1 };

    it('decrypts with the session_key to the given profile, watermarked for the merchant\'s appid', async () => {
        const reply = (await simulator.http.post('/simulator/userinfo', { code: 'ming.1', userInfo: profile })).data;
        const session = await sessionFor('ming.1');
        const data = decrypt(reply.encryptedData, reply.iv, session.session_key);

        assert.equal(Buffer.from(reply.iv, 'base64').length, 16);
        assert.deepEqual({ ...data, watermark: undefined }, {
            openId: session.openid, ...profile, language: 'zh_CN', city: '', province: '', country: '', watermark: undefined,
        });
        assert.equal(data.watermark.appid, merchant.appId);
        assert.ok(Math.abs(data.watermark.timestamp - Date.now() / 1000) < 60);
    });

    it('is what the app\'s decryptor accepts', async () => {
        const session = await sessionFor('ming.2');
        const reply = (await simulator.http.post('/simulator/userinfo', { code: 'ming.2', userInfo: profile })).data;
        assert.deepEqual(decryptUserInfo(reply.encryptedData, reply.iv, session.session_key, merchant.appId), profile);
    });

    it('signs rawData with the session_key as sha1(rawData + session_key)', async () => {
        const reply = (await simulator.http.post('/simulator/userinfo', { code: 'ming.3', userInfo: profile })).data;
        const session = await sessionFor('ming.3');
        assert.equal(reply.signature, createHash('sha1').update(reply.rawData + session.session_key).digest('hex'));
        assert.equal(JSON.parse(reply.rawData).nickName, '小明');
    });

    it('watermarks another appid on request, for testing the app\'s refusal', async () => {
        const reply = (await simulator.http.post('/simulator/userinfo', { code: 'ming.4', watermarkAppId: 'wx1111111111111111' })).data;
        const session = await sessionFor('ming.4');
        assert.equal(decrypt(reply.encryptedData, reply.iv, session.session_key).watermark.appid, 'wx1111111111111111');
        assert.throws(() => decryptUserInfo(reply.encryptedData, reply.iv, session.session_key, merchant.appId), /watermark/);
    });

    it('defaults the profile to WeChat\'s anonymous user', async () => {
        const reply = (await simulator.http.post('/simulator/userinfo', { code: 'ming.5' })).data;
        const session = await sessionFor('ming.5');
        const data = decrypt(reply.encryptedData, reply.iv, session.session_key);
        assert.deepEqual([data.nickName, data.avatarUrl, data.gender], ['微信用户', '', 0]);
    });

    it('refuses a malformed code or profile with 400 naming the field', async () => {
        const badCode = await simulator.http.post('/simulator/userinfo', { code: 'no spaces' });
        assert.equal(badCode.status, 400);
        assert.match(badCode.data.message, /code/);
        const badGender = await simulator.http.post('/simulator/userinfo', { code: 'ok', userInfo: { gender: 7 } });
        assert.equal(badGender.status, 400);
        assert.match(badGender.data.message, /gender/);
    });
});
