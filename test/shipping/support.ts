import assert from 'node:assert/strict';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { bearer, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/wait';
import { getOrder, payInWechat, placeOrder, requestPaymentFor, waitForDelivery } from '../helpers/shopper';

// A paid order and the merchant's calls around shipping it, against a TestApp and its simulator.

/** Short enough for tests: a failed upload is tried again within a tenth of a second. */
export const FAST_UPLOADS = { SHIPPING_UPLOAD_INTERVAL_MS: '50', SHIPPING_UPLOAD_RETRY_MS: '50' };

export const ADMIN = bearer(DEV_ADMIN_API_KEY);

export const EXPRESS = { logistics_type: 'express', express_company: 'YTO', tracking_no: 'YT8759710021515', item_desc: '商品1-1 ×2' };

export interface PaidOrder {
    readonly id: number;
    readonly token: string;
    readonly transactionId: string;
}

/** Logs a shopper in, orders, pays in WeChat's client and waits until the app has the payment. */
export async function paidOrder(app: TestApp, shopper?: { token: string }): Promise<PaidOrder> {
    const { token } = shopper ?? await app.login();
    const order = await placeOrder(app, token);
    const paid = await payInWechat(app, await requestPaymentFor(app, token, order.id));
    assert.equal(paid.statusCode, 200, paid.payload);
    await waitForDelivery(app, order.out_trade_no, (delivery) => delivery.acknowledged);
    const { transaction_id: transactionId, status } = await getOrder(app, token, order.id);
    assert.equal(status, 'paid');
    return { id: order.id, token, transactionId: transactionId! };
}

export function ship(app: TestApp, orderId: number, payload: object = EXPRESS) {
    return app.inject({ method: 'POST', url: `/admin/orders/${orderId}/shipments`, headers: ADMIN, payload });
}

export function correct(app: TestApp, orderId: number, shipmentId: number, payload: object) {
    return app.inject({ method: 'PUT', url: `/admin/orders/${orderId}/shipments/${shipmentId}`, headers: ADMIN, payload });
}

export interface ShipmentBody {
    id: number;
    revision: number;
    logistics_type: string;
    tracking_no: string | null;
    upload: { state: string; attempts: number; accepted_uploads: number; errcode: number | null; errmsg: string | null; reason: string | null };
}

export async function shipments(app: TestApp, orderId: number): Promise<ShipmentBody[]> {
    const response = await app.inject({ method: 'GET', url: `/admin/orders/${orderId}/shipments`, headers: ADMIN });
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as ShipmentBody[];
}

/** Waits until the order's shipment has left `pending` (or has `accepted` uploads), and returns it. */
export function settledShipment(app: TestApp, orderId: number, accepted = 1, timeoutMs = 10_000): Promise<ShipmentBody> {
    return eventually(`shipment of order ${orderId}`, async () => {
        const [shipment] = await shipments(app, orderId);
        return shipment && (shipment.upload.state === 'failed' || (shipment.upload.state === 'uploaded' && shipment.upload.accepted_uploads >= accepted)) ? shipment : undefined;
    }, timeoutMs);
}

export interface WechatShipping {
    uploads: number;
    receiptConfirmed: boolean;
    last: {
        order_key: { order_number_type: number; transaction_id: string };
        logistics_type: number;
        shipping_list: Array<{ tracking_no?: string; express_company?: string; item_desc: string }>;
        payer: { openid: string };
        upload_time: string;
    };
}

/** What WeChat's order-shipping service (the simulator) holds for a payment. */
export async function atWechat(app: TestApp, transactionId: string): Promise<WechatShipping> {
    const response = await app.inject({ method: 'GET', url: `/__wechat/simulator/shipping/${transactionId}` });
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as WechatShipping;
}

export async function tokenCounts(app: TestApp): Promise<{ issued: number; refused: number }> {
    const response = await app.inject({ method: 'GET', url: '/__wechat/simulator/access-tokens' });
    return response.result as { issued: number; refused: number };
}

export async function injectFault(app: TestApp, endpoint: string, fault: string, count: number) {
    const response = await app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint, fault, count } });
    assert.equal(response.statusCode, 201, response.payload);
}
