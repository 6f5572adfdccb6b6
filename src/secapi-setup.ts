import { createServer } from 'node:net';

import type { AppConfig } from './config';
import type { SecapiRoute } from './services/wx-pay-service';
import { DEFAULT_DEV_CERTIFICATES_FOLDER, ensureDevCertificates } from './simulator/dev-certificates';
import type { SimulatorTls } from './simulator/options';
import { loadMerchantCertificate, type MerchantCertificate } from './wechat/merchant-certificate';
import { createSecapiAgent } from './wechat/http';

export interface SecapiSetup {
    /** Where the app's /secapi calls go and the agent presenting the merchant certificate. */
    readonly route: SecapiRoute;
    /** The in-process simulator's HTTPS listener, when it is on. */
    readonly simulatorTls?: SimulatorTls;
    /** The merchant certificate /secapi calls present (its serial and expiry are on the console's payment settings). */
    readonly certificate?: MerchantCertificate;
}

/**
 * The merchant certificate, loaded and checked once at start (a MerchantCertificateError
 * naming the variable stops the process), and where /secapi calls go: WX_PAY_BASE_URL, or with
 * the in-process simulator its own TLS listener, made with the development CA and certificates
 * on first run (data/dev-certs) and trusted for these calls only.
 */
export async function setUpSecapi(config: AppConfig): Promise<SecapiSetup> {
    const { certificate } = config.refunds;
    const { mchId, payBaseUrl } = config.wechat;
    const loaded: MerchantCertificate | undefined = certificate === undefined || certificate === 'development'
        ? undefined : loadMerchantCertificate(certificate, mchId);
    if (!config.simulator.enabled) {
        return { route: { baseUrl: payBaseUrl, agent: loaded === undefined ? undefined : createSecapiAgent(loaded) }, certificate: loaded };
    }
    const dev = ensureDevCertificates(DEFAULT_DEV_CERTIFICATES_FOLDER, mchId);
    const port = config.simulator.tlsPort === 0 ? await freePort() : config.simulator.tlsPort;
    const presented = loaded ?? dev.merchant;
    return {
        route: { baseUrl: `https://127.0.0.1:${port}`, agent: createSecapiAgent({ cert: presented.cert, key: presented.key, ca: dev.ca.cert }) },
        simulatorTls: { port, ca: dev.ca.cert, cert: dev.server.cert, key: dev.server.key },
        certificate: presented,
    };
}

/** A port free now, for SIMULATOR_TLS_PORT=0: the URL must be known before the listener starts. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as { port: number };
            probe.close(() => resolve(port));
        });
    });
}
