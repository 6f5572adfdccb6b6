import type { Server, ServerInjectOptions, ServerInjectResponse } from '@hapi/hapi';

import { loadConfig, type AppConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { createSqliteDatabase, type TestDatabase } from './databases';
import { freePort } from './wait';

export interface TestApp {
    readonly server: Server;
    readonly config: AppConfig;
    readonly database: TestDatabase;
    /** Every line the app logged, for tests that scan logs for secrets. */
    readonly logs: string[];
    inject(options: ServerInjectOptions): Promise<ServerInjectResponse>;
    /** A token for a user of this openid (created through the real login route and the simulator). */
    login(code?: string): Promise<{ token: string; userId: number }>;
    stop(): Promise<void>;
}

export interface TestAppOptions {
    readonly env?: Record<string, string>;
    /** A database made by the caller (e.g. MySQL); by default a fresh SQLite file. */
    readonly database?: TestDatabase;
    /** Listen on a real port: needed when WeChat (the simulator) must call back. Default true. */
    readonly listen?: boolean;
}

/** The app as `npm start` builds it, on its own database, with the in-process simulator as WeChat. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
    const database = options.database ?? await createSqliteDatabase();
    const listen = options.listen ?? true;
    const logs: string[] = [];
    // The port is chosen before the server is made (the app's notify URL names it), and a test
    // file running beside this one may take it meanwhile: then the server is stopped (a server
    // left half-started keeps the file from ever exiting) and made again on another port.
    for (let attempt = 1; ; attempt += 1) {
        const config = loadConfig({
            NODE_ENV: 'test',
            LOG_LEVEL: 'info',
            PORT: String(listen ? await freePort() : 0),
            DATABASE_URL: database.url,
            RECONCILE_INTERVAL_MS: '0',
            REFUND_JOB_INTERVAL_MS: '0',
            SIMULATOR_TLS_PORT: '0',
            SIMULATOR_TIME_SCALE: '0.001',
            ...options.env,
        });
        const logger = createLogger(config, { write: (line: string) => void logs.push(line) });
        const server = await createServer(config, { logger });
        if (listen) {
            try {
                await server.start();
            }
            catch (error) {
                await server.stop({ timeout: 1000 });
                if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) {
                    continue;
                }
                throw error;
            }
        }
        return testApp(server, config, database, logs, options);
    }
}

const PORT_ATTEMPTS = 5;

function testApp(server: Server, config: AppConfig, database: TestDatabase, logs: string[], options: TestAppOptions): TestApp {
    const inject = (request: ServerInjectOptions) => server.inject(request);
    let codes = 0;
    return {
        server,
        config,
        database,
        logs,
        inject,
        async login(code = `user${++codes}.${Date.now()}`) {
            const response = await inject({ method: 'POST', url: '/users/wxLogin', payload: { code } });
            if (response.statusCode !== 200) {
                throw new Error(`login failed: ${response.statusCode} ${response.payload}`);
            }
            return response.result as { token: string; userId: number };
        },
        async stop() {
            await server.stop({ timeout: 1000 });
            if (!options.database) {
                await database.drop();
            }
        },
    };
}

export function bearer(token: string): Record<string, string> {
    return { authorization: `Bearer ${token}` };
}
