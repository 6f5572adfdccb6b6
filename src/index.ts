import dotenv from 'dotenv';

import { loadConfig } from './config';
import { createLogger } from './logger';
import { createServer } from './server';

async function main(): Promise<void> {
    dotenv.config({ quiet: true });
    let config;
    try {
        config = loadConfig(process.env);
    }
    catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exit(1);
    }

    const logger = createLogger(config);
    const server = await createServer(config, { logger });
    await server.start();
    logger.info({ uri: server.info.uri, env: config.env, database: config.database.dialect, simulator: config.simulator.enabled },
        `listening on ${server.info.uri}; API docs at ${server.info.uri}/documentation`);

    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
        if (stopping) {
            return;
        }
        stopping = true;
        logger.info(`${signal}: finishing requests in flight, then stopping`);
        try {
            await server.stop({ timeout: config.server.shutdownTimeoutMs });
            process.exit(0);
        }
        catch (error) {
            logger.error({ err: (error as Error).message }, 'stopping failed');
            process.exit(1);
        }
    };
    process.on('SIGTERM', (signal) => void stop(signal));
    process.on('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
    process.stderr.write(`failed to start: ${(error as Error).message}\n`);
    process.exit(1);
});
