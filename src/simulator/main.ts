import { loadConfig } from '../config';
import { DEFAULT_DEV_CERTIFICATES_FOLDER, ensureDevCertificates } from './dev-certificates';
import { createSimulatorServer } from './server';

// npm run simulator: a standalone WeChat for the app (or a real mini-program in the
// devtools) to talk to, with the merchant from the same environment the app reads.

async function main(): Promise<void> {
    const config = loadConfig(process.env, { process: 'simulator' });
    if (config.env === 'production') {
        throw new Error('The WeChat simulator does not run with NODE_ENV=production');
    }
    const { appId, appSecret, mchId, apiKey } = config.wechat;
    // /secapi over TLS, with the development CA and certificates the app finds in the same folder.
    const certificates = ensureDevCertificates(DEFAULT_DEV_CERTIFICATES_FOLDER, mchId);
    const server = await createSimulatorServer({
        host: config.server.host,
        port: config.simulator.port,
        merchant: { appId, appSecret, mchId, apiKey },
        timeScale: config.simulator.timeScale,
        notifyDuplicates: config.simulator.notifyDuplicates,
        notifyTimeoutMs: config.simulator.notifyTimeoutMs,
        refundNotifyUrl: config.refunds.notifyUrl,
        tls: { host: config.server.host, port: config.simulator.tlsPort, ca: certificates.ca.cert, cert: certificates.server.cert, key: certificates.server.key },
    });
    await server.start();
    console.log(`WeChat simulator for appid ${appId}, mch_id ${mchId} listening on ${server.info.uri}, /secapi on https://${config.server.host}:${config.simulator.tlsPort}`
        + ` (CA ${certificates.ca.certPath}; merchant certificate ${certificates.merchant.p12Path})`);

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
