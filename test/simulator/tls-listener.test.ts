import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ensureDevCertificates, type DevCertificates } from '../../src/simulator/dev-certificates';
import { createSimulatorServer } from '../../src/simulator/server';
import { freePort } from '../helpers/wait';
import { merchant } from './harness';
import { httpsClient, signedPost } from './tls-harness';

// With `tls`, the simulator also listens over HTTPS (the same routes), from the server's
// start to its stop; a bad TLS or refund option stops it at start-up, naming the option.

describe('the simulator\'s TLS listener', () => {
    let folder: string;
    let certs: DevCertificates;
    before(() => {
        folder = mkdtempSync(join(tmpdir(), 'tls-listener-'));
        certs = ensureDevCertificates(folder, merchant.mchId);
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    const base = { host: '127.0.0.1', port: 0, merchant, timeScale: 0.001, notifyDuplicates: 1, notifyTimeoutMs: 1000 };

    it('serves over HTTPS while the server runs, and not after it stops', async () => {
        const port = await freePort();
        const server = await createSimulatorServer({ ...base, tls: { port, ca: certs.ca.cert, cert: certs.server.cert, key: certs.server.key } });
        const agent = new Agent({ ca: certs.ca.cert });
        const client = httpsClient(`https://127.0.0.1:${port}`, agent);
        try {
            await assert.rejects(client.post('/pay/orderquery', '<xml/>'), (error: { code?: string }) => error.code === 'ECONNREFUSED');
            await server.start();
            assert.equal((await signedPost(client, '/pay/orderquery', { out_trade_no: 'NeverPlaced1' })).err_code, 'ORDERNOTEXIST');
            await server.stop();
            agent.destroy();
            await assert.rejects(httpsClient(`https://127.0.0.1:${port}`, new Agent({ ca: certs.ca.cert })).post('/pay/orderquery', '<xml/>'),
                (error: { code?: string }) => error.code === 'ECONNREFUSED');
        }
        finally {
            agent.destroy();
            await server.stop();
        }
    });

    it('refuses a TLS setting without its key, and a refund notify URL that is not http(s), naming them', async () => {
        await assert.rejects(createSimulatorServer({ ...base, tls: { port: 1, ca: certs.ca.cert, cert: certs.server.cert } as never }), /Invalid wechat-simulator options: "tls.key" is required/);
        await assert.rejects(createSimulatorServer({ ...base, refundNotifyUrl: 'ftp://127.0.0.1/refunds' }), /"refundNotifyUrl"/);
    });
});
