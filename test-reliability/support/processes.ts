import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { DEFAULT_DEV_CERTIFICATES_FOLDER, ensureDevCertificates } from '../../src/simulator/dev-certificates';
import { count, secret, witness } from './figures';
import { attempt, freePort } from './http';

// The app and the simulator as they run in production: `node --import tsx <entry>`, each in a
// process of its own, configured by environment only. Every line they print is kept (for the
// secret scan and for failure messages); every process is killed when the test file ends,
// whatever happened.

export const REPO = path.resolve(__dirname, '..', '..');

export interface Exit {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
}

export class NodeProcess {
    readonly lines: string[] = [];
    readonly exited: Promise<Exit>;
    exit: Exit | undefined;
    private readonly child: ChildProcess;
    private readonly waiters = new Set<() => void>();

    constructor(readonly name: string, entry: string, readonly env: Readonly<Record<string, string>>) {
        this.child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: REPO, env: { ...baseEnvironment(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        live.add(this);
        count('processes');
        for (const [stream, label] of [[this.child.stdout!, 'stdout'], [this.child.stderr!, 'stderr']] as const) {
            createInterface({ input: stream }).on('line', (line) => {
                this.lines.push(line);
                witness(`${name} ${label}`, line);
                for (const wake of this.waiters) {
                    wake();
                }
            });
        }
        this.exited = new Promise((resolve) => {
            this.child.once('exit', (code, signal) => {
                this.exit = { code, signal };
                live.delete(this);
                for (const wake of this.waiters) {
                    wake();
                }
                resolve(this.exit);
            });
        });
    }

    get pid(): number {
        return this.child.pid ?? -1;
    }

    get running(): boolean {
        return this.exit === undefined;
    }

    /** The first line matching `pattern`, waiting up to `timeoutMs` for it. */
    async waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const line = this.lines.find((candidate) => pattern.test(candidate));
            if (line !== undefined) {
                return line;
            }
            if (!this.running) {
                throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before printing ${pattern}:\n${this.tail()}`);
            }
            const left = deadline - Date.now();
            if (left <= 0) {
                throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
            }
            await new Promise<void>((resolve) => {
                const wake = () => {
                    clearTimeout(timer);
                    this.waiters.delete(wake);
                    resolve();
                };
                const timer = setTimeout(wake, left);
                this.waiters.add(wake);
            });
        }
    }

    /** Parsed pino lines (the app logs JSON; other lines are skipped). */
    logs(): Array<Record<string, unknown>> {
        return this.lines.flatMap((line) => {
            try {
                const parsed: unknown = JSON.parse(line);
                return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
            }
            catch {
                return [];
            }
        });
    }

    signal(signal: NodeJS.Signals): void {
        if (this.running) {
            this.child.kill(signal);
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
    async stop(graceMs = 5000): Promise<Exit> {
        this.signal('SIGTERM');
        const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
        const exit = await this.exited;
        clearTimeout(timer);
        return exit;
    }

    tail(lines = 15): string {
        return this.lines.slice(-lines).join('\n');
    }
}

const live = new Set<NodeProcess>();

// A test file that dies half-way still takes its processes with it.
process.on('exit', () => {
    for (const child of live) {
        child.signal('SIGKILL');
    }
});

/** Stops every process this file started that is still running. */
export async function stopAll(): Promise<void> {
    await Promise.all([...live].map((child) => child.stop(3000)));
}

/** Only what node needs: nothing from the runner's environment leaks into the app's configuration. */
function baseEnvironment(): Record<string, string> {
    const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT'];
    return Object.fromEntries(keep.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!]));
}

const alnum = (length: number) => Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[randomInt(62)]).join('');

/** A merchant and secrets of the suite's own, fresh per file, registered for the secret scan. */
export interface Credentials {
    readonly WX_APPID: string;
    readonly WX_SECRET: string;
    readonly WX_MCHID: string;
    readonly WX_PAY_API_KEY: string;
    readonly JWT_SECRET: string;
    readonly STAFF_SESSION_SECRET: string;
}

export function newCredentials(): Credentials {
    const credentials = {
        WX_APPID: `wx${randomBytes(8).toString('hex')}`,
        WX_SECRET: `appsecret${alnum(23)}`,
        WX_MCHID: String(1_900_000_000 + randomInt(99_999_999)),
        WX_PAY_API_KEY: alnum(32),
        JWT_SECRET: `jwtsecret${alnum(39)}`,
        STAFF_SESSION_SECRET: `staffsecret${alnum(37)}`,
    };
    secret('WX_SECRET', credentials.WX_SECRET);
    secret('WX_PAY_API_KEY', credentials.WX_PAY_API_KEY);
    secret('JWT_SECRET', credentials.JWT_SECRET);
    secret('STAFF_SESSION_SECRET', credentials.STAFF_SESSION_SECRET);
    return credentials;
}

export interface RunningApp {
    readonly process: NodeProcess;
    readonly port: number;
    readonly url: string;
    /** The in-process simulator's base URL (`${url}/__wechat`), when it is mounted. */
    readonly wechat: string;
}

/**
 * `node --import tsx src/index.ts` on a free port, ready once it logs that it listens. `env` is the
 * whole configuration besides HOST and PORT (`port`: one picked beforehand, when the
 * configuration must name it); LOG_LEVEL defaults to info so logs can be read.
 */
export async function startApp(name: string, env: Record<string, string>, { port = 0, readyTimeoutMs = 30_000 } = {}): Promise<RunningApp> {
    port ||= await freePort();
    // The in-process simulator's TLS listener on a free port: never the developer's 3443.
    const child = new NodeProcess(name, 'src/index.ts', { NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', SIMULATOR_TLS_PORT: '0', ...env, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await child.waitForLine(/"msg":"listening on /, readyTimeoutMs);
    return { process: child, port, url, wechat: `${url}/__wechat` };
}

export interface RunningSimulator {
    readonly process: NodeProcess;
    readonly url: string;
    /** Its TLS listener, where /secapi (refunds) takes the merchant certificate. */
    readonly secapiUrl: string;
}

/** The standalone simulator (`src/simulator/main.ts`) for the merchant in `env`. */
export async function startSimulator(name: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<RunningSimulator> {
    const [port, tlsPort] = [await freePort(), await freePort()];
    const child = new NodeProcess(name, 'src/simulator/main.ts', { NODE_ENV: 'test', HOST: '127.0.0.1', ...env, SIMULATOR_PORT: String(port), SIMULATOR_TLS_PORT: String(tlsPort) });
    await child.waitForLine(/WeChat simulator .* listening on /, readyTimeoutMs);
    return { process: child, url: `http://127.0.0.1:${port}`, secapiUrl: `https://127.0.0.1:${tlsPort}` };
}

/**
 * The settings that send an app's WeChat Pay calls, refunds included, to a standalone
 * simulator's TLS listener: its development CA trusted, and the merchant certificate it made
 * for `mchId` under data/dev-certs presented, as README's standalone set-up says.
 */
export function secapiSettings(simulator: RunningSimulator, mchId: string): Record<string, string> {
    const certificates = ensureDevCertificates(path.join(REPO, DEFAULT_DEV_CERTIFICATES_FOLDER), mchId);
    return { WX_PAY_BASE_URL: simulator.secapiUrl, NODE_EXTRA_CA_CERTS: certificates.ca.certPath, WX_PAY_CERT_P12: certificates.merchant.p12Path };
}

/**
 * The app with WeChat played by a standalone simulator for the same merchant: a merchant key of
 * the suite's own may not sit beside the in-process simulator or the dev login (src/config/dev-login.ts
 * refuses both), so `wechat` is the simulator's URL, where Shop finds its control routes. `env`
 * reaches both processes (the merchant, SIMULATOR_*); it may name its own WeChat URLs.
 */
export async function startAppWithWechat(name: string, env: Record<string, string>, options: { port?: number; readyTimeoutMs?: number } = {}): Promise<RunningApp> {
    const simulator = await startSimulator(`${name}'s WeChat`, env);
    const app = await startApp(name, { WX_API_BASE_URL: simulator.url, WX_PAY_BASE_URL: simulator.url, ...env, WECHAT_SIMULATOR: 'false', DEV_LOGIN: 'false' }, options);
    return { ...app, wechat: simulator.url };
}

export { eventually } from '../../test/helpers/wait';

/** GET /health's status code, or the transport error. */
export async function health(app: RunningApp): Promise<number | string> {
    const reply = await attempt(`${app.url}/health`, { timeoutMs: 5000 });
    return 'error' in reply ? reply.error : reply.status;
}
