import assert from 'node:assert/strict';

import { DEV_ADMIN_API_KEY } from '../../src/config';
import { bearer, type TestApp } from '../helpers/app';
import { payInWechat, placeOrder, requestPaymentFor, waitForDelivery, type PlacedOrder } from '../helpers/shopper';
import { eventually } from '../helpers/wait';

// A paid order and the merchant's refund calls, over the app's routes and the simulator.

export const ADMIN = bearer(DEV_ADMIN_API_KEY);

export interface RefundView {
    readonly id: number;
    readonly out_refund_no: string;
    readonly refund_fee: number;
    readonly status: string;
    readonly refund_id: string | null;
    readonly source: string;
    readonly failure_code: string | null;
    readonly failure_message: string | null;
}

export async function paidOrder(app: TestApp, token: string): Promise<PlacedOrder> {
    const order = await placeOrder(app, token);
    await payInWechat(app, await requestPaymentFor(app, token, order.id));
    await waitForDelivery(app, order.out_trade_no, (delivery) => delivery.acknowledged);
    return order;
}

export function refund(app: TestApp, orderId: number, payload: object) {
    return app.inject({ method: 'POST', url: `/admin/orders/${orderId}/refunds`, headers: ADMIN, payload });
}

export async function refundsOf(app: TestApp, orderId: number): Promise<RefundView[]> {
    const response = await app.inject({ method: 'GET', url: `/admin/orders/${orderId}/refunds`, headers: ADMIN });
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as RefundView[];
}

/** Ends a refund at the simulator now, as WeChat's bank would; its notification follows. */
export async function settle(app: TestApp, outRefundNo: string, refundStatus: 'SUCCESS' | 'REFUNDCLOSE' | 'CHANGE' = 'SUCCESS') {
    const response = await app.inject({ method: 'POST', url: `/__wechat/simulator/refunds/${outRefundNo}/settle`, payload: { refund_status: refundStatus } });
    assert.equal(response.statusCode, 200, response.payload);
}

export function waitForRefundStatus(app: TestApp, orderId: number, outRefundNo: string, status: string): Promise<RefundView> {
    return eventually(`refund ${outRefundNo} ${status}`, async () => (await refundsOf(app, orderId)).find((one) => one.out_refund_no === outRefundNo && one.status === status));
}
