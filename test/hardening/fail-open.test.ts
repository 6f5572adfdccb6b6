import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

// The process as an operator starts it, with real WeChat credentials and NODE_ENV forgotten:
// it must not come up as development (the simulator signing with the real key, the dev login,
// the JWT secret from the source). It exits at once with one line naming why, and the line
// does not repeat the secret.

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'index.ts')];
const REAL_KEY = 'Q7wE9rT2yU4iO6pA8sD1fG3hJ5kL0zXc';

function start(env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
    const { PATH, HOME } = process.env;
    const result = spawnSync(process.execPath, ENTRY, { cwd: tmpdir(), env: { PATH, HOME, PORT: '0', ...env }, encoding: 'utf8', timeout: 30_000 });
    return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('starting with real WeChat credentials and no NODE_ENV', () => {
    it('refuses, in one line naming the key and the in-process simulator', () => {
        const result = start({ WX_APPID: 'wx1234567890abcdef', WX_MCHID: '1900000109', WX_PAY_API_KEY: REAL_KEY, WX_SECRET: 'abcdefabcdefabcdefabcdefabcdef12' });
        assert.notEqual(result.status, 0);
        assert.equal(result.stdout, '');
        assert.deepEqual(result.stderr.trim().split('\n'), [
            "Invalid configuration: WX_PAY_API_KEY is not the example merchant's, so the in-process WeChat simulator (set WECHAT_SIMULATOR=false) cannot be used",
        ]);
        assert.ok(!result.stderr.includes(REAL_KEY));
    });

    it('with the simulator off, still refuses the dev login and the default JWT secret', () => {
        const real = { WX_PAY_API_KEY: REAL_KEY, WX_PAY_BASE_URL: 'https://api.mch.weixin.qq.com' };
        assert.match(start(real).stderr, /^Invalid configuration: WX_PAY_API_KEY is not the example merchant's, so the dev login \(set DEV_LOGIN=false\) cannot be used\n$/);
        assert.match(start({ ...real, DEV_LOGIN: 'false' }).stderr, /so the default JWT secret \(set JWT_SECRET to a random value\) cannot be used\n$/);
    });
});
