import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';

import { ApiV3Key, decryptResource, encryptResource } from '../../../src/wechat/pay-v3/aead';
import { requestPaymentFor, verifyPaySign } from '../../../src/wechat/pay-v3/pay-sign';
import { signReply, verifyReply, type SigningKey } from '../../../src/wechat/pay-v3/reply-signature';
import { authorizationFor, readSignedRequest, requestSigningMessage } from '../../../src/wechat/pay-v3/request-signature';
import { decryptSensitiveField, encryptSensitiveField } from '../../../src/wechat/pay-v3/sensitive-fields';
import { SignatureVerifier } from '../../../src/wechat/pay-v3/verifier';
import { certificateEntry, KeyRing, publicKeyEntry } from '../../../src/wechat/pay-v3/verification-keys';
import { makeV3Parties, type V3Parties } from '../../helpers/wechatpay-v3';

// wechatpay-axios-plugin (TheNorthMemory's SDK, listed by WeChat Pay) as an independent party: what
// it signs or encrypts, we verify or decrypt, and the other way round. Its own HTTP client talks to a
// loopback server that checks its requests with our verifier and answers with our signatures.

const { AesGcm } = Aes;

describe('interop with wechatpay-axios-plugin', () => {
    let parties: V3Parties;
    before(() => {
        parties = makeV3Parties();
    });
    after(() => parties.remove());

    describe('its HTTP client against a server that speaks with our code', () => {
        let server: Server;
        let baseURL: string;
        /** What the server made of each request: our verifier's verdict on its Authorization. */
        const seen: { method: string; url: string; verified: string; mchid: string }[] = [];
        let replyKey: SigningKey;

        before(async () => {
            const merchantKeys = new SignatureVerifier(new KeyRing([certificateEntry(parties.merchantCertificate.cert)]));
            server = createServer((request: IncomingMessage, response: ServerResponse) => {
                const chunks: Buffer[] = [];
                request.on('data', (chunk: Buffer) => chunks.push(chunk));
                request.on('end', () => {
                    const signedRequest = { method: request.method ?? '', pathAndQuery: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') };
                    let verified: string;
                    let mchid = '';
                    try {
                        const read = readSignedRequest(signedRequest, request.headers.authorization);
                        mchid = read.mchid;
                        verified = merchantKeys.verify(read.signed).serial;
                    }
                    catch (error) {
                        verified = (error as Error).name;
                    }
                    seen.push({ method: signedRequest.method, url: signedRequest.pathAndQuery, verified, mchid });
                    const body = JSON.stringify({ prepay_id: 'wx07183000123456', echoed: signedRequest.body === '' ? null : JSON.parse(signedRequest.body) });
                    response.writeHead(200, { 'content-type': 'application/json', ...signReply(body, replyKey) });
                    response.end(body);
                });
            });
            await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
            baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));

        const client = () => new Wechatpay({
            mchid: parties.mchId,
            serial: parties.merchant.serialNo,
            privateKey: parties.merchantCertificate.key,
            certs: { [parties.wechatPublicKey.serial]: parties.wechatPublicKey.pem, [parties.platform.serial]: parties.platform.cert },
            baseURL,
        });

        it('its POST and its GET with a query verify with our request verifier; it accepts our replies signed with the public key', async () => {
            replyKey = parties.wechatPublicKey;
            seen.length = 0;
            const order = { appid: 'wxd678efh567hg6787', mchid: parties.mchId, description: '深圳腾大-QQ公仔', out_trade_no: 'T20261207', amount: { total: 100, currency: 'CNY' } };
            const posted = await client().v3.pay.transactions.jsapi.post(order);
            assert.equal(posted.status, 200);
            assert.deepEqual(posted.data, { prepay_id: 'wx07183000123456', echoed: order });
            const queried = await client().v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: parties.mchId }, out_trade_no: 'T20261207' } as never);
            assert.equal(queried.status, 200);
            assert.deepEqual(seen, [
                { method: 'POST', url: '/v3/pay/transactions/jsapi', verified: parties.merchant.serialNo, mchid: parties.mchId },
                { method: 'GET', url: `/v3/pay/transactions/out-trade-no/T20261207?mchid=${parties.mchId}`, verified: parties.merchant.serialNo, mchid: parties.mchId },
            ]);
        });

        it('accepts our replies signed with a platform certificate (40-hex serial), and refuses ours signed with the wrong key', async () => {
            replyKey = parties.platform;
            assert.equal((await client().v3.certificates.get()).status, 200);
            replyKey = { serial: parties.platform.serial, privateKey: parties.wechatPublicKey.privateKey };
            await assert.rejects(client().v3.certificates.get(), (error: { code?: string }) => error.code === 'EV3_RES_HEADER_SIGNATURE_DIGEST');
        });
    });

    it('our Authorization is over the message it builds, and verifies with its Rsa.verify', () => {
        const request = { method: 'POST', pathAndQuery: '/v3/refund/domestic/refunds', body: '{"out_refund_no":"R1","amount":{"refund":1,"total":100,"currency":"CNY"}}' };
        const authorization = authorizationFor(request, parties.merchant);
        const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(authorization)?.[1] ?? '';
        const itsMessage = Formatter.request(request.method, request.pathAndQuery, field('timestamp'), field('nonce_str'), request.body);
        assert.equal(itsMessage, requestSigningMessage(request, field('timestamp'), field('nonce_str')));
        assert.equal(Rsa.verify(itsMessage, field('signature'), parties.merchantPublicKey), true);
        assert.equal(field('serial_no'), parties.merchant.serialNo);
        // Its own Authorization for the same request (fields in another order) reads and verifies with ours.
        const nonce = Formatter.nonce();
        const timestamp = Formatter.timestamp();
        const its = Formatter.authorization(parties.mchId, nonce, Rsa.sign(Formatter.request(request.method, request.pathAndQuery, timestamp, nonce, request.body), parties.merchant.privateKey), timestamp, parties.merchant.serialNo);
        const { signed } = readSignedRequest(request, its);
        assert.equal(new SignatureVerifier(new KeyRing([certificateEntry(parties.merchantCertificate.cert)])).verify(signed).serial, parties.merchant.serialNo);
    });

    it('a reply or notification it signs verifies with ours, and one we sign verifies with its Rsa.verify', () => {
        const body = '{"id":"EV-1","event_type":"REFUND.SUCCESS"}';
        const nonce = Formatter.nonce();
        const timestamp = String(Formatter.timestamp());
        const itsHeaders = {
            'Wechatpay-Timestamp': timestamp,
            'Wechatpay-Nonce': nonce,
            'Wechatpay-Signature': Rsa.sign(Formatter.response(timestamp, nonce, body), parties.wechatPublicKey.privateKey),
            'Wechatpay-Serial': parties.wechatPublicKey.serial,
        };
        const verifier = new SignatureVerifier(new KeyRing([publicKeyEntry(parties.wechatPublicKey.serial, parties.wechatPublicKey.pem)]));
        assert.equal(verifyReply(verifier, itsHeaders, body).serial, parties.wechatPublicKey.serial);

        const ours = signReply(body, parties.platform);
        const itsMessage = Formatter.response(ours['Wechatpay-Timestamp']!, ours['Wechatpay-Nonce']!, body);
        assert.equal(Rsa.verify(itsMessage, ours['Wechatpay-Signature']!, parties.platform.publicKey), true);
    });

    it('AEAD_AES_256_GCM: it decrypts what we encrypt, and we what it encrypts', () => {
        const plaintext = JSON.stringify({ out_trade_no: 'T1', trade_state: 'SUCCESS', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
        const ours = encryptResource(plaintext, parties.apiV3Key, 'transaction');
        assert.equal(AesGcm.decrypt(ours.ciphertext, parties.apiV3KeyText, ours.nonce, 'transaction'), plaintext);
        const itsCiphertext = AesGcm.encrypt(plaintext, parties.apiV3KeyText, 'fdasflkja484', 'refund');
        assert.equal(decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: itsCiphertext, nonce: 'fdasflkja484', associated_data: 'refund' }, ApiV3Key.from(parties.apiV3KeyText)), plaintext);
    });

    it('RSA-OAEP sensitive fields: it decrypts what we encrypt, and we what it encrypts', () => {
        assert.equal(Rsa.decrypt(encryptSensitiveField('张三', parties.wechatPublicKey.publicKey), parties.wechatPublicKey.privateKey), '张三');
        assert.equal(decryptSensitiveField(Rsa.encrypt('6214830000000000', parties.platform.publicKey), parties.platform.privateKey), '6214830000000000');
    });

    it('paySign: its signature over the same four lines equals ours, and each verifies the other\'s', () => {
        const params = requestPaymentFor('wxd678efh567hg6787', 'wx07183000123456', parties.merchant.privateKey);
        const itsMessage = Formatter.joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package);
        const itsSign = Rsa.sign(itsMessage, parties.merchant.privateKey);
        assert.equal(itsSign, params.paySign);
        assert.equal(Rsa.verify(itsMessage, params.paySign, parties.merchantPublicKey), true);
        assert.equal(verifyPaySign({ ...params, paySign: itsSign }, parties.merchantPublicKey), true);
    });
});
