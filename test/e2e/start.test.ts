import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import axios from 'axios';

import { freePort } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'index.ts')];

/** The environment of a fresh shell: nothing of this project's, so defaults are what is tested. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const { PATH, HOME } = process.env;
    return { PATH, HOME, ...extra };
}

// What README's start command promises on a fresh clone with no .env: SQLite, the simulator, the dev login.
describe('starting with no configuration at all', () => {
    let child: ChildProcess;
    let folder: string;
    let api: string;
    let output = '';

    before(async () => {
        folder = mkdtempSync(path.join(tmpdir(), 'wxshop-start-'));
        const port = await freePort();
        api = `http://127.0.0.1:${port}`;
        // The ports are the only settings given: a test must not take 3000 (or the simulator's 3443) from a developer's server.
        child = spawn(process.execPath, ENTRY, { cwd: folder, env: cleanEnv({ PORT: String(port), SIMULATOR_TLS_PORT: String(await freePort()) }), stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        for (let tries = 0; tries < 150 && !output.includes('listening on'); tries += 1) {
            await sleep(100);
        }
        assert.match(output, /listening on/, output);
    });

    after(() => {
        child.kill('SIGTERM');
        rmSync(folder, { recursive: true, force: true });
    });

    it('serves /health, the seeded shops, and orders priced from the database', async () => {
        assert.deepEqual((await axios.get(`${api}/health`)).data, { status: 'ok', db: 'ok' });
        assert.equal((await axios.get(`${api}/shops`)).data.totalCount, 4);

        const { token } = (await axios.post(`${api}/users/createJWT`)).data as { token: string };
        const order = await axios.post(`${api}/orders`, { goodsList: [{ goods_id: 2, count: 3 }, { goods_id: 4, count: 1 }] }, { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(order.status, 201);
        assert.equal(order.data.total_fee, 1280 * 3 + 880);
    });

    it('keeps its database in data/dev.sqlite under the working directory', () => {
        assert.equal(spawnSync('test', ['-s', path.join(folder, 'data', 'dev.sqlite')]).status, 0);
    });

    it('made the development CA and merchant certificate for /secapi under data/dev-certs on first run', () => {
        for (const file of ['ca/cert.pem', 'server/cert.pem', 'merchant-10000100/apiclient_cert.p12']) {
            assert.equal(spawnSync('test', ['-s', path.join(folder, 'data', 'dev-certs', file)]).status, 0, file);
        }
    });

    it('stops cleanly on SIGTERM', async () => {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
    });
});

describe('starting in production', () => {
    it('refuses to start with nothing set, naming every missing setting at once, one line each', () => {
        const result = spawnSync(process.execPath, ENTRY, { cwd: tmpdir(), env: cleanEnv({ NODE_ENV: 'production' }), encoding: 'utf8', timeout: 30_000 });
        assert.notEqual(result.status, 0);
        const [heading, ...lines] = result.stderr.trim().split('\n');
        assert.equal(heading, `Invalid configuration, ${lines.length} problems:`);
        for (const name of ['JWT_SECRET', 'WX_APPID', 'WX_SECRET', 'WX_MCHID', 'WX_PAY_API_KEY', 'WX_PAY_NOTIFY_URL']) {
            assert.equal(lines.filter((line) => line.startsWith(`  - ${name} is required`)).length, 1, name);
        }
    });
});
