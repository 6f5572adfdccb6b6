import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ServerInjectResponse } from '@hapi/hapi';
import jwt from 'jsonwebtoken';

import { bearer, startTestApp, type TestApp } from '../helpers/app';

interface UserInfo {
    encryptedData: string;
    iv: string;
}

function assertError(response: ServerInjectResponse, statusCode: number, message?: RegExp | string): void {
    assert.equal(response.statusCode, statusCode, response.payload);
    const body = JSON.parse(response.payload) as { statusCode: number; error: string; message: string };
    assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'statusCode']);
    assert.equal(body.statusCode, statusCode);
    if (typeof message === 'string') {
        assert.equal(body.message, message);
    }
    else if (message) {
        assert.match(body.message, message);
    }
}

describe('POST /users/wxLogin', () => {
    let app: TestApp;
    const responses: ServerInjectResponse[] = [];

    const wxLogin = async (payload: object) => {
        const response = await app.inject({ method: 'POST', url: '/users/wxLogin', payload });
        responses.push(response);
        return response;
    };

    /** What wx.getUserInfo gives the mini-program after wx.login gave it `code` (the simulator plays WeChat). */
    const getUserInfo = async (code: string, userInfo?: object, watermarkAppId?: string): Promise<UserInfo> => {
        const response = await app.inject({ method: 'POST', url: '/__wechat/simulator/userinfo', payload: { code, userInfo, watermarkAppId } });
        assert.equal(response.statusCode, 200, response.payload);
        const { encryptedData, iv } = response.result as UserInfo;
        return { encryptedData, iv };
    };

    const storedUser = (id: number) => app.server.app.models.User.scope('withSessionKey').findByPk(id);

    before(async () => {
        app = await startTestApp();
    });

    after(async () => {
        await app.stop();
    });

    it('signs in with a fresh wx.login code: { token, userId }, and the token works', async () => {
        const response = await wxLogin({ code: 'alice.1' });
        assert.equal(response.statusCode, 200, response.payload);
        const body = response.result as { token: string; userId: number };
        assert.deepEqual(Object.keys(body).sort(), ['token', 'userId']);
        assert.ok(Number.isInteger(body.userId) && body.userId > 0);

        const claims = jwt.verify(body.token, app.config.jwt.secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
        assert.equal(claims.userId, body.userId);

        const greeting = await app.inject({ method: 'GET', url: '/', headers: bearer(body.token) });
        assert.equal(greeting.statusCode, 200);
        assert.equal(greeting.payload, 'hello hapi');
    });

    it('creates the user once: a later login of the same WeChat user (dora.1, then dora.2) is the same userId', async () => {
        const first = (await wxLogin({ code: 'dora.1' })).result as { userId: number };
        const again = await wxLogin({ code: 'dora.2' });
        assert.equal(again.statusCode, 200);
        assert.equal((again.result as { userId: number }).userId, first.userId);
        const other = (await wxLogin({ code: 'erin.1' })).result as { userId: number };
        assert.notEqual(other.userId, first.userId);
        assert.equal(await app.server.app.models.User.count({ where: { id: first.userId } }), 1);
    });

    it("refuses a code that was already used with 401 and WeChat's message", async () => {
        await wxLogin({ code: 'frank.1' });
        assertError(await wxLogin({ code: 'frank.1' }), 401, 'WeChat login failed: code been used (errcode 40163)');
    });

    it('refuses a malformed code with a 400 naming "code", without asking WeChat', async () => {
        const askedWechat = () => app.logs.filter((line) => line.includes('/sns/jscode2session')).length;
        const asked = askedWechat();
        for (const code of ['with space', 'x'.repeat(200), '', 'semi;colon', 'ünïcode']) {
            assertError(await wxLogin({ code }), 400, /^"code" /);
        }
        assertError(await wxLogin({}), 400, '"code" is required');
        assertError(await wxLogin({ code: 12345 }), 400, /^"code" /);
        assert.equal(askedWechat(), asked);
    });

    it("stores the profile from getUserInfo's encryptedData and iv", async () => {
        const profile = { nickName: 'Gina 吉娜', avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/gina/132', gender: 2 };
        const response = await wxLogin({ code: 'gina.1', ...await getUserInfo('gina.1', profile) });
        assert.equal(response.statusCode, 200, response.payload);
        const { userId } = response.result as { userId: number };

        const user = await storedUser(userId);
        assert.deepEqual({ nickName: user?.nickName, avatarUrl: user?.avatarUrl, gender: user?.gender }, profile);
        assert.match(user?.openId ?? '', /^\S+$/);
        assert.ok(user?.sessionKey, 'the session_key is kept on the server');
    });

    it('updates the stored profile when the user signs in again with a new one', async () => {
        const first = (await wxLogin({ code: 'hana.1', ...await getUserInfo('hana.1', { nickName: 'Hana', avatarUrl: 'https://a.example/1', gender: 2 }) })).result as { userId: number };
        const second = (await wxLogin({ code: 'hana.2', ...await getUserInfo('hana.2', { nickName: 'Hana 2', avatarUrl: 'https://a.example/2', gender: 0 }) })).result as { userId: number };
        assert.equal(second.userId, first.userId);
        const user = await storedUser(first.userId);
        assert.deepEqual({ nickName: user?.nickName, avatarUrl: user?.avatarUrl, gender: user?.gender }, { nickName: 'Hana 2', avatarUrl: 'https://a.example/2', gender: 0 });
    });

    it('refuses encryptedData made for another mini-program (watermark appid) with a 400, storing no one', async () => {
        const users = await app.server.app.models.User.count();
        const foreign = await getUserInfo('ivan.1', { nickName: 'Ivan', avatarUrl: '', gender: 1 }, 'wx0000000000000000');
        assertError(await wxLogin({ code: 'ivan.1', ...foreign }), 400, /watermark/);
        assert.equal(await app.server.app.models.User.count(), users);
    });

    it('refuses encryptedData made under another login (another session_key) with a 400', async () => {
        const elsewhere = await getUserInfo('judy.1', { nickName: 'Judy', avatarUrl: '', gender: 2 });
        assertError(await wxLogin({ code: 'judy.2', ...elsewhere }), 400, /decrypt/);
    });

    it('refuses encryptedData without iv, or iv without encryptedData, with a 400 naming the missing one', async () => {
        const { encryptedData, iv } = await getUserInfo('kate.1');
        assertError(await wxLogin({ code: 'kate.1', encryptedData }), 400, /\biv\b/);
        assertError(await wxLogin({ code: 'kate.1', iv }), 400, /\bencryptedData\b/);
        assertError(await wxLogin({ code: 'kate.1', encryptedData: 'not base64!', iv }), 400, /^"encryptedData" /);
    });

    it('never returns the session_key', async () => {
        const response = await wxLogin({ code: 'liam.1', ...await getUserInfo('liam.1') });
        assert.equal(response.statusCode, 200);
        const user = await storedUser((response.result as { userId: number }).userId);
        const sessionKeys = [user!.sessionKey!, ...await allSessionKeys()];
        for (const earlier of responses) {
            assert.doesNotMatch(earlier.payload, /session_?key/i);
            for (const key of sessionKeys) {
                assert.ok(!earlier.payload.includes(key), 'a session key in a response');
            }
        }
    });

    describe('logs', () => {
        it('hold no session key, no WeChat Pay API key and no JWT secret', async () => {
            const keys = await allSessionKeys();
            assert.ok(keys.length > 3);
            const secrets = new Map<string, string>([['WeChat Pay API key', app.config.wechat.apiKey], ['JWT secret', app.config.jwt.secret]]);
            keys.forEach((key, index) => secrets.set(`session key ${index}`, key));
            assert.ok(app.logs.length > 0);
            for (const [name, secret] of secrets) {
                const lines = app.logs.filter((line) => line.includes(secret));
                assert.equal(lines.length, 0, `${name} in ${lines.length} log line(s), e.g. ${lines[0]?.slice(0, 300)}`);
            }
        });

        it('hold no WeChat app secret', async () => {
            const lines = app.logs.filter((line) => line.includes(app.config.wechat.appSecret));
            assert.equal(lines.length, 0, `the app secret in ${lines.length} log line(s), e.g. ${lines[0]?.slice(0, 400)}`);
        });
    });

    async function allSessionKeys(): Promise<string[]> {
        const users = await app.server.app.models.User.scope('withSessionKey').findAll();
        return users.map((user) => user.sessionKey).filter((key): key is string => typeof key === 'string' && key !== '');
    }
});
