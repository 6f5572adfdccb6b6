// Shared by the simulator tests: a simulator on a random port, and a caller that signs,
// posts and parses WeChat Pay XML as a merchant would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Server } from '@hapi/hapi';
import axios, { type AxiosResponse } from 'axios';

import { EXAMPLE_MERCHANT } from '../../src/config';
import type { NotificationView } from '../../src/simulator/notifier';
import type { SimulatorOptions } from '../../src/simulator/plugin';
import { createSimulatorServer } from '../../src/simulator/server';
import { nonceStr } from '../../src/wechat/nonce';
import { sign, type SignType } from '../../src/wechat/sign';
import { toBeijingCompact, unixSeconds } from '../../src/wechat/time';
import { buildWxXml, parseWxXml } from '../../src/wechat/xml';

export const merchant = EXAMPLE_MERCHANT;

export interface RunningSimulator {
    readonly server: Server;
    readonly url: string;
    /** axios against the simulator that never throws on a status. */
    readonly http: ReturnType<typeof axios.create>;
}

export async function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
    const server = await createSimulatorServer({
        host: '127.0.0.1',
        port: 0,
        merchant,
        timeScale: 0.001,
        notifyDuplicates: 1,
        notifyTimeoutMs: 1000,
        ...options,
    });
    await server.start();
    const url = server.info.uri;
    return { server, url, http: axios.create({ baseURL: url, validateStatus: () => true, proxy: false }) };
}

/** Signs `fields` (adding nonce_str unless given), posts them to a Pay API path and parses the reply. */
export async function payCall(
    simulator: RunningSimulator,
    path: string,
    fields: Record<string, string>,
    signType: SignType = 'MD5',
): Promise<Record<string, string>> {
    return postXml(simulator, path, signedXml(fields, signType));
}

/** `fields` as a merchant sends them: with appid, mch_id, a nonce_str (unless given) and the sign. */
export function signedXml(fields: Record<string, string>, signType: SignType = 'MD5'): string {
    const unsigned = { appid: merchant.appId, mch_id: merchant.mchId, nonce_str: nonceStr(), ...fields };
    return buildWxXml({ ...unsigned, sign: sign(unsigned, merchant.apiKey, signType) });
}

export async function postXml(simulator: RunningSimulator, path: string, body: string): Promise<Record<string, string>> {
    const response = await simulator.http.post<string>(path, body, { headers: { 'Content-Type': 'text/xml' }, responseType: 'text' });
    return parseWxXml(response.data);
}

let orderCounter = 0;

/** A unique, valid out_trade_no. */
export function newOutTradeNo(): string {
    orderCounter += 1;
    return `T${Date.now()}${orderCounter}`;
}

/** A complete, valid JSAPI unifiedorder request (unsigned, without appid, mch_id, nonce_str). */
export function jsapiOrder(overrides: Record<string, string> = {}): Record<string, string> {
    return {
        body: '测试商店-订单',
        out_trade_no: newOutTradeNo(),
        total_fee: '1999',
        spbill_create_ip: '127.0.0.1',
        notify_url: 'http://127.0.0.1:9/notify',
        trade_type: 'JSAPI',
        openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        ...overrides,
    };
}

/** Places an order and returns its prepay_id, asserting nothing: the caller checks the reply. */
export async function placeOrder(
    simulator: RunningSimulator,
    overrides: Record<string, string> = {},
    signType: SignType = 'MD5',
): Promise<{ outTradeNo: string; prepayId: string; reply: Record<string, string> }> {
    const order = jsapiOrder(overrides);
    const reply = await payCall(simulator, '/pay/unifiedorder', signType === 'MD5' ? order : { ...order, sign_type: signType }, signType);
    return { outTradeNo: order.out_trade_no as string, prepayId: reply.prepay_id as string, reply };
}

/** What the app's server gives the mini-program for wx.requestPayment. */
export function requestPaymentParams(prepayId: string, signType: SignType = 'MD5'): Record<string, string> {
    const params = { appId: merchant.appId, timeStamp: unixSeconds(new Date()), nonceStr: nonceStr(), package: `prepay_id=${prepayId}`, signType };
    return { ...params, paySign: sign(params, merchant.apiKey, signType) };
}

export async function pay(simulator: RunningSimulator, prepayId: string, signType: SignType = 'MD5', outcome = 'success'): Promise<AxiosResponse> {
    return simulator.http.post(`/simulator/pay?outcome=${outcome}`, requestPaymentParams(prepayId, signType));
}

export async function notifications(simulator: RunningSimulator, outTradeNo: string): Promise<NotificationView[]> {
    const response = await simulator.http.get<NotificationView[]>('/simulator/notifications', { params: { out_trade_no: outTradeNo } });
    return response.data;
}

export interface Received {
    readonly at: number;
    readonly body: string;
    readonly contentType: string | undefined;
}

/**
 * A stand-in for the app's notify endpoint: `answer` decides each reply from how many
 * notifications have arrived so far (1 for the first).
 */
export async function startNotifyReceiver(answer: (count: number) => { status: number; body: string }): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
    const received: Received[] = [];
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
            received.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8'), contentType: request.headers['content-type'] });
            const { status, body } = answer(received.length);
            response.writeHead(status, { 'Content-Type': 'text/xml' }).end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/notify`,
        received,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

export const ACK = buildWxXml({ return_code: 'SUCCESS', return_msg: 'OK' });
export const NACK = buildWxXml({ return_code: 'FAIL', return_msg: 'not yet' });

/** A Beijing yyyyMMddHHmmss `offsetMs` from now. */
export function beijingIn(offsetMs: number): string {
    return toBeijingCompact(new Date(Date.now() + offsetMs));
}
