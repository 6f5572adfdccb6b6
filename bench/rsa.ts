import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';

import { ApiV3Key, decryptResource, encryptResource } from '../src/wechat/pay-v3/aead';
import { readSignedReply, signReply } from '../src/wechat/pay-v3/reply-signature';
import { signSha256WithRsa, verifySha256WithRsa } from '../src/wechat/pay-v3/rsa-signature';
import { SignatureVerifier } from '../src/wechat/pay-v3/verifier';
import { KeyRing, publicKeyEntry } from '../src/wechat/pay-v3/verification-keys';
import { sign, verify } from '../src/wechat/sign';
import { buildWxXml, parseWxXml } from '../src/wechat/xml';

// npm run bench:rsa: what one APIv3 signature costs on this machine beside v2's MD5 and
// HMAC-SHA256, for the arithmetic of v3 pay and notify against v2. A script that prints figures:
// each row is the median, over many batches, of one operation's CPU time (user + system) in µs;
// CPU time, not wall time, because the two cores are shared and a descheduled batch would count.

const BATCHES = 101;
const MIN_BATCH_MS = 20;

/** A v2 payment notification as WeChat sends one (every field signed). */
const V2_NOTIFICATION = {
    return_code: 'SUCCESS', result_code: 'SUCCESS', appid: 'wx2421b1c4370ec43b', mch_id: '10000100', nonce_str: '5d2b6c2a8db53831f7eda20af46e531c',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', is_subscribe: 'N', trade_type: 'JSAPI', bank_type: 'OTHERS', total_fee: '2990', cash_fee: '2990',
    fee_type: 'CNY', transaction_id: '4200001234202612071234567890', out_trade_no: 'T202612071830000001', attach: 'shop=1', time_end: '20261207183000',
};
const V2_KEY = '192006250b4c09247ec02edce69f6a2d';

/** The APIv3 notification for the same payment: the JSON body WeChat signs, with its encrypted resource. */
const V3_TRANSACTION = JSON.stringify({
    appid: 'wx2421b1c4370ec43b', mchid: '10000100', out_trade_no: 'T202612071830000001', transaction_id: '4200001234202612071234567890',
    trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', attach: 'shop=1',
    success_time: '2026-12-07T18:30:00+08:00', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 2990, payer_total: 2990, currency: 'CNY', payer_currency: 'CNY' },
});

/** CPU µs of `calls` calls of `operation` (awaited one after another). */
async function cpuMicros(operation: () => unknown, calls: number): Promise<number> {
    const started = process.cpuUsage();
    for (let call = 0; call < calls; call += 1) {
        await operation();
    }
    const used = process.cpuUsage(started);
    return used.user + used.system;
}

/** Median CPU µs of one call of `operation`: batches long enough for the clock, the median of their means. */
async function measure(operation: () => unknown): Promise<number> {
    let perBatch = 1;
    while (await cpuMicros(operation, perBatch) < MIN_BATCH_MS * 1000) {
        perBatch *= 2;
    }
    const means: number[] = [];
    for (let batch = 0; batch < BATCHES; batch += 1) {
        means.push(await cpuMicros(operation, perBatch) / perBatch);
    }
    return means.sort((a, b) => a - b)[Math.floor(means.length / 2)]!;
}

async function main(): Promise<void> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const apiV3Key = ApiV3Key.from('a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb');
    const wechat = { serial: 'PUB_KEY_ID_0114232282912026120700000000000001', privateKey };
    const verifier = new SignatureVerifier(new KeyRing([publicKeyEntry(wechat.serial, publicKey)]));

    const resource = encryptResource(V3_TRANSACTION, apiV3Key, 'transaction', { originalType: 'transaction' });
    const notification = JSON.stringify({
        id: 'EV-2018022511223320873', create_time: '2026-12-07T18:30:01+08:00', resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS', summary: '支付成功', resource,
    });
    const headers = signReply(notification, wechat);
    const message = `POST\n/v3/pay/transactions/jsapi\n1796639400\n593BEC0C930BF1AFEB40B4A08C8FB242\n${V3_TRANSACTION}\n`;
    const signature = signSha256WithRsa(message, privateKey);
    const signedV2 = { ...V2_NOTIFICATION, sign: sign(V2_NOTIFICATION, V2_KEY, 'MD5') };
    const signedV2Hmac = { ...V2_NOTIFICATION, sign: sign(V2_NOTIFICATION, V2_KEY, 'HMAC-SHA256') };
    const v2Xml = buildWxXml(signedV2);

    const rows: [string, () => unknown][] = [
        ['RSA-2048 SHA256withRSA sign (v3 request, paySign)', () => signSha256WithRsa(message, privateKey)],
        ['RSA-2048 SHA256withRSA verify (v3 reply, notification)', () => verifySha256WithRsa(message, signature, publicKey)],
        ['v2 MD5 sign of a payment notification', () => sign(V2_NOTIFICATION, V2_KEY, 'MD5')],
        ['v2 HMAC-SHA256 sign of a payment notification', () => sign(V2_NOTIFICATION, V2_KEY, 'HMAC-SHA256')],
        ['v2 notification check (MD5 verify)', () => verify(signedV2, V2_KEY, 'MD5')],
        ['v2 notification check (HMAC-SHA256 verify)', () => verify(signedV2Hmac, V2_KEY, 'HMAC-SHA256')],
        ['v3 AEAD_AES_256_GCM decrypt of the notification resource', () => decryptResource(resource, apiV3Key)],
        ['v2 notification read (XML parse, MD5 check)', async () => verify(await parseWxXml(v2Xml), V2_KEY, 'MD5')],
        ['v3 notification read (headers, RSA verify, JSON parse, decrypt, JSON parse)', () => {
            verifier.verify(readSignedReply(headers, notification));
            const body = JSON.parse(notification) as { resource: typeof resource };
            return JSON.parse(decryptResource(body.resource, apiV3Key));
        }],
    ];

    const cpu = os.cpus()[0];
    console.log(`${cpu?.model ?? 'CPU'} x${os.cpus().length}, Node ${process.version}, OpenSSL ${process.versions.openssl}`);
    console.log(`notification sizes: v2 ${Buffer.byteLength(v2Xml)} B XML, v3 ${Buffer.byteLength(notification)} B JSON\n`);
    console.log('| operation | CPU µs (median) |');
    console.log('|---|---:|');
    for (const [name, operation] of rows) {
        const micros = await measure(operation);
        console.log(`| ${name} | ${micros.toFixed(micros >= 100 ? 0 : 1)} |`);
    }
}

void main();
