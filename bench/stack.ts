import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { WechatMerchant } from '../src/config';
import { appEnv, randomSecret, simulatorEnv } from './env';
import type { LoadResult, LoadSpec } from './load';
import { freePort, startNode, waitUntilReady, type Started } from './processes';

// The processes of a run: WeChat (the simulator), the baseline, the app, the load generator.

const ROOT = path.resolve(__dirname, '..');
const TSX = ['--import', 'tsx'];

export interface Service {
    readonly process: Started;
    readonly url: string;
}

export async function startSimulator(merchant: WechatMerchant, logFile: string): Promise<Service> {
    const port = await freePort();
    const started = startNode('simulator', [...TSX, path.join(ROOT, 'src/simulator/main.ts')], simulatorEnv(port, merchant), logFile);
    const url = `http://127.0.0.1:${port}`;
    // Any answer means it listens: a login with no appid is WeChat's errcode, HTTP 200.
    await waitUntilReady(started, `${url}/sns/jscode2session`, 200, logFile);
    return { process: started, url };
}

export async function startBaseline(logFile: string): Promise<Service> {
    const port = await freePort();
    const started = startNode('baseline', [...TSX, path.join(ROOT, 'bench/hello-server.ts'), String(port)], {}, logFile);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(started, url, 200, logFile);
    return { process: started, url };
}

export interface App extends Service {
    /** Its merchant API's key. */
    readonly adminKey: string;
    /** The bearer token of its GET /metrics. */
    readonly metricsToken: string;
}

export interface AppOptions {
    /** Write a CPU profile there on exit. */
    readonly profileDir?: string;
    /** More of node's own options (--trace-gc). */
    readonly nodeOptions?: readonly string[];
}

/** The built app (dist/src/index.js), as `npm start` runs it. */
export async function startApp(databaseUrl: string, merchant: WechatMerchant, wechatUrl: string, logFile: string, { profileDir, nodeOptions = [] }: AppOptions = {}): Promise<App> {
    const port = await freePort();
    const adminKey = randomSecret();
    const metricsToken = randomSecret();
    const env = appEnv({ port, databaseUrl, merchant, wechatUrl, adminKey, metricsToken });
    const profiling = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
    const started = startNode('app', [...profiling, ...nodeOptions, path.join(ROOT, 'dist/src/index.js')], env, logFile);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(started, `${url}/health`, 200, logFile);
    return { process: started, url, adminKey, metricsToken };
}

/** The load generator's process, driven one run at a time. */
export class LoadGenerator {
    private readonly child: ChildProcess;

    constructor() {
        this.child = fork(path.join(ROOT, 'bench/load.ts'), { execArgv: TSX, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    }

    get pid(): number {
        return this.child.pid!;
    }

    run(spec: LoadSpec): Promise<LoadResult> {
        return new Promise((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
            this.child.once('exit', onExit);
            this.child.once('message', (message: { result?: LoadResult; error?: string }) => {
                this.child.off('exit', onExit);
                if (message.result) {
                    resolve(message.result);
                }
                else {
                    reject(new Error(`load generator: ${message.error}`));
                }
            });
            this.child.send(spec);
        });
    }

    stop(): void {
        this.child.kill('SIGTERM');
    }
}
