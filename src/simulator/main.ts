import { loadConfig } from '../config';
import { createSimulatorServer } from './server';

// npm run simulator: a standalone WeChat for the app (or a real mini-program in the
// devtools) to talk to, with the merchant from the same environment the app reads.

async function main(): Promise<void> {
    const config = loadConfig(process.env, { process: 'simulator' });
    if (config.env === 'production') {
        throw new Error('The WeChat simulator does not run with NODE_ENV=production');
    }
    const { appId, appSecret, mchId, apiKey } = config.wechat;
    const server = await createSimulatorServer({
        host: config.server.host,
        port: config.simulator.port,
        merchant: { appId, appSecret, mchId, apiKey },
        timeScale: config.simulator.timeScale,
        notifyDuplicates: config.simulator.notifyDuplicates,
        notifyTimeoutMs: config.simulator.notifyTimeoutMs,
    });
    await server.start();
    console.log(`WeChat simulator for appid ${appId}, mch_id ${mchId} listening on ${server.info.uri}`);

    const stop = () => {
        server.stop().catch((error: unknown) => console.error(error));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
