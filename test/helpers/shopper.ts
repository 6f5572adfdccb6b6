import assert from 'node:assert/strict';

import type { RequestPaymentParams as RequestPayment } from '../../src/services/wx-pay-service';
import { sign, type SignType } from '../../src/wechat/sign';
import { buildWxXml, parseWxXml } from '../../src/wechat/xml';
import { bearer, type TestApp } from './app';
import { eventually } from './wait';

// What a mini-program and WeChat's client do, step by step, against a TestApp.

export type { RequestPayment };

export interface PlacedOrder {
    readonly id: number;
    readonly out_trade_no: string;
    readonly total_fee: number;
    readonly status: string;
    readonly transaction_id: string | null;
}

export async function placeOrder(app: TestApp, token: string, goodsList = [{ goods_id: 1, count: 2 }, { goods_id: 4, count: 1 }]): Promise<PlacedOrder> {
    const response = await app.inject({ method: 'POST', url: '/orders', headers: bearer(token), payload: { goodsList } });
    assert.equal(response.statusCode, 201, response.payload);
    return response.result as PlacedOrder;
}

export async function getOrder(app: TestApp, token: string, orderId: number): Promise<PlacedOrder> {
    const response = await app.inject({ method: 'GET', url: `/orders/${orderId}`, headers: bearer(token) });
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as PlacedOrder;
}

export function startPayment(app: TestApp, token: string, orderId: number) {
    return app.inject({ method: 'POST', url: `/orders/${orderId}/pay`, headers: bearer(token), remoteAddress: '203.0.113.7' });
}

export async function requestPaymentFor(app: TestApp, token: string, orderId: number): Promise<RequestPayment> {
    const response = await startPayment(app, token, orderId);
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as RequestPayment;
}

/** The shopper confirms in WeChat's client (the simulator checks paySign like the real one). */
export async function payInWechat(app: TestApp, params: RequestPayment, outcome: 'success' | 'fail' = 'success') {
    const { appId: _appId, ...clientParams } = params;
    return app.inject({ method: 'POST', url: `/__wechat/simulator/pay?outcome=${outcome}`, payload: clientParams });
}

export interface Delivery {
    readonly out_trade_no: string;
    readonly acknowledged: boolean;
    readonly gaveUp: boolean;
    readonly xml: string;
    readonly attempts: ReadonlyArray<{ outcome: string; httpStatus?: number; reason?: string }>;
}

export async function deliveries(app: TestApp, outTradeNo: string): Promise<Delivery[]> {
    const response = await app.inject({ method: 'GET', url: `/__wechat/simulator/notifications?out_trade_no=${outTradeNo}` });
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as Delivery[];
}

/** Polls the simulator until `done` holds for the order's notification, or fails after `timeoutMs`. */
export function waitForDelivery(app: TestApp, outTradeNo: string, done: (delivery: Delivery) => boolean, timeoutMs = 10_000): Promise<Delivery> {
    return eventually(`notification for ${outTradeNo}`, async () => {
        const [delivery] = await deliveries(app, outTradeNo);
        return delivery && done(delivery) ? delivery : undefined;
    }, timeoutMs);
}

/** Posts a notification body to the app's notify URL and reads WeChat's XML answer. */
export async function notify(app: TestApp, body: string | Buffer, contentType = 'text/xml') {
    const response = await app.inject({ method: 'POST', url: '/orders/pay/notify', headers: { 'content-type': contentType }, payload: body });
    const answer = response.payload.startsWith('<xml>') ? await parseWxXml(response.payload) : {};
    return { statusCode: response.statusCode, answer, payload: response.payload };
}

/** A notification as WeChat would send it, re-signed after `changes` with `key` (default: the merchant's). */
export function resign(fields: Record<string, string>, changes: Record<string, string | undefined>, key: string, signType: SignType = 'MD5'): string {
    const changed: Record<string, string | undefined> = { ...fields, ...changes };
    delete changed.sign;
    return buildWxXml({ ...changed, sign: sign(changed, key, signType) });
}
