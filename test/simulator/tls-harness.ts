// Shared by the refund tests: a simulator with its TLS listener, development certificates
// made for this test file, and callers with and without the merchant's client certificate.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import axios, { type AxiosInstance } from 'axios';

import { ensureDevCertificates, type DevCertificates } from '../../src/simulator/dev-certificates';
import type { SimulatorOptions } from '../../src/simulator/plugin';
import { loadMerchantCertificate } from '../../src/wechat/merchant-certificate';
import { decryptRefundInfo } from '../../src/wechat/refund-crypto';
import { parseWxXml } from '../../src/wechat/xml';
import { freePort } from '../helpers/wait';
import { merchant, pay, placeOrder, signedXml, startSimulator, type RunningSimulator } from './harness';

export interface TlsSimulator extends RunningSimulator {
    readonly tlsUrl: string;
    readonly certs: DevCertificates;
    /** Over TLS with the merchant's certificate, loaded the way the app loads it (from the p12). */
    readonly merchantHttps: AxiosInstance;
    /** Over TLS, trusting the CA, presenting no certificate. */
    readonly anonymousHttps: AxiosInstance;
    stop(): Promise<void>;
}

export async function startTlsSimulator(options: Partial<SimulatorOptions> = {}): Promise<TlsSimulator> {
    const folder = mkdtempSync(join(tmpdir(), 'simulator-tls-'));
    const certs = ensureDevCertificates(folder, merchant.mchId);
    const port = await freePort();
    const simulator = await startSimulator({ ...options, tls: { port, ca: certs.ca.cert, cert: certs.server.cert, key: certs.server.key } });
    const tlsUrl = `https://127.0.0.1:${port}`;
    const client = loadMerchantCertificate({ p12Path: certs.merchant.p12Path }, merchant.mchId);
    const merchantAgent = new Agent({ ca: certs.ca.cert, ...client });
    const anonymousAgent = new Agent({ ca: certs.ca.cert });
    return {
        ...simulator,
        tlsUrl,
        certs,
        merchantHttps: httpsClient(tlsUrl, merchantAgent),
        anonymousHttps: httpsClient(tlsUrl, anonymousAgent),
        async stop() {
            merchantAgent.destroy();
            anonymousAgent.destroy();
            await simulator.server.stop();
            rmSync(folder, { recursive: true, force: true });
        },
    };
}

export function httpsClient(baseURL: string, httpsAgent: Agent): AxiosInstance {
    return axios.create({ baseURL, httpsAgent, validateStatus: () => true, proxy: false, responseType: 'text', headers: { 'Content-Type': 'text/xml' } });
}

/** Signs and posts `fields` to `path` with `client`, and parses the XML reply. */
export async function signedPost(client: AxiosInstance, path: string, fields: Record<string, string>): Promise<Record<string, string>> {
    return parseWxXml((await client.post<string>(path, signedXml(fields))).data);
}

/** A paid order: its out_trade_no, transaction_id and total_fee (fen). */
export async function paidOrder(simulator: RunningSimulator, totalFee = 1999, overrides: Record<string, string> = {}): Promise<{ outTradeNo: string; transactionId: string; totalFee: number }> {
    const { outTradeNo, prepayId } = await placeOrder(simulator, { total_fee: String(totalFee), ...overrides });
    const paid = await pay(simulator, prepayId);
    return { outTradeNo, transactionId: paid.data.transaction_id as string, totalFee };
}

let refundCounter = 0;

export function newOutRefundNo(): string {
    refundCounter += 1;
    return `R${Date.now()}${refundCounter}`;
}

/** What a refund notification's body says, its req_info decrypted with the merchant's key. */
export async function readRefundNotification(body: string): Promise<{ outer: Record<string, string>; info: Record<string, string> }> {
    const outer = await parseWxXml(body);
    return { outer, info: await decryptRefundInfo(outer.req_info as string, merchant.apiKey) };
}
