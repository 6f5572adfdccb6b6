import assert from 'node:assert/strict';

import type { RequestPaymentParams as RequestPayment } from '../../src/services/wx-pay-service';
import { sign, type SignType } from '../../src/wechat/sign';
import { buildWxXml, parseWxXml } from '../../src/wechat/xml';
import { count } from './figures';
import { bearer, json, request, type Reply } from './http';
import { eventually } from './processes';

// What the mini-program, WeChat's client and WeChat's servers do, over HTTP, against an API
// (`api`) and a simulator (`wechat`: the in-process one at /__wechat, or a standalone one).

export type { RequestPayment };

export interface OrderView {
    readonly id: number;
    readonly out_trade_no: string;
    readonly total_fee: number;
    readonly status: string;
    readonly transaction_id: string | null;
}

export interface Delivery {
    readonly out_trade_no: string;
    readonly transaction_id?: string;
    readonly acknowledged: boolean;
    readonly gaveUp: boolean;
    readonly xml: string;
    readonly attempts: ReadonlyArray<{ readonly outcome: string; readonly httpStatus?: number; readonly reason?: string }>;
}

export interface NotifyAnswer {
    readonly status: number;
    readonly returnCode: string | undefined;
    readonly returnMsg: string | undefined;
    readonly text: string;
}

/** The tutorial's basket: 2 × goods 1 (490 fen) + 1 × goods 4 (880 fen) = 1860 fen. */
export const BASKET = [{ goods_id: 1, count: 2 }, { goods_id: 4, count: 1 }];

export class Shop {
    constructor(readonly api: string, readonly wechat: string) {}

    /** wx.login, then POST /users/wxLogin; codes starting alike (`alice.1`, `alice.2`) are one user. */
    async login(code: string, api = this.api): Promise<{ token: string; userId: number }> {
        const { reply, data } = await json<{ token: string; userId: number }>(`${api}/users/wxLogin`, 'POST', { code });
        assert.equal(reply.status, 200, `login ${code}: ${reply.text}`);
        return data;
    }

    async placeOrder(token: string, goodsList = BASKET, api = this.api): Promise<OrderView> {
        const { reply, data } = await json<OrderView>(`${api}/orders`, 'POST', { goodsList }, bearer(token));
        assert.equal(reply.status, 201, `POST /orders: ${reply.text}`);
        return data;
    }

    startPayment(token: string, orderId: number, api = this.api): Promise<Reply> {
        return request(`${api}/orders/${orderId}/pay`, { method: 'POST', headers: bearer(token) });
    }

    async requestPayment(token: string, orderId: number, api = this.api): Promise<RequestPayment> {
        const reply = await this.startPayment(token, orderId, api);
        assert.equal(reply.status, 200, `POST /orders/${orderId}/pay: ${reply.text}`);
        return JSON.parse(reply.text) as RequestPayment;
    }

    /** The shopper confirms in WeChat's client: WeChat takes the money and starts notifying. */
    async payInWechat(params: RequestPayment): Promise<{ transactionId: string; outTradeNo: string }> {
        const { appId: _appId, ...clientParams } = params;
        const { reply, data } = await json<{ transaction_id: string; out_trade_no: string }>(`${this.wechat}/simulator/pay`, 'POST', clientParams);
        assert.equal(reply.status, 200, `simulator pay: ${reply.text}`);
        return { transactionId: data.transaction_id, outTradeNo: data.out_trade_no };
    }

    async deliveries(outTradeNo: string): Promise<Delivery[]> {
        const { reply, data } = await json<Delivery[]>(`${this.wechat}/simulator/notifications?out_trade_no=${outTradeNo}`, 'GET');
        assert.equal(reply.status, 200, reply.text);
        return data;
    }

    /** The genuine notification WeChat made for a paid order (its XML, exactly as posted). */
    async genuineNotification(outTradeNo: string): Promise<string> {
        return eventually(`notification for ${outTradeNo}`, async () => (await this.deliveries(outTradeNo)).find((d) => d.transaction_id)?.xml, 5000, 20);
    }

    async injectFault(endpoint: string, fault: string, faultCount = 1, delayMs = 30_000): Promise<void> {
        const { reply } = await json(`${this.wechat}/simulator/faults`, 'POST', { endpoint, fault, count: faultCount, delayMs });
        assert.equal(reply.status, 201, reply.text);
        count('faults', faultCount);
    }

    /** Posts to the notify URL as WeChat's servers do, and reads the XML answer. */
    async notify(body: string | Buffer, contentType = 'text/xml', api = this.api): Promise<NotifyAnswer> {
        const reply = await request(`${api}/orders/pay/notify`, { method: 'POST', headers: { 'content-type': contentType }, body });
        return answerOf(reply);
    }
}

export async function answerOf(reply: Reply): Promise<NotifyAnswer> {
    const fields = await parseWxXml(reply.text).catch(() => ({} as Record<string, string>));
    return { status: reply.status, returnCode: fields.return_code, returnMsg: fields.return_msg, text: reply.text };
}

/** `fields` after `changes` (undefined removes a field), signed again with `key`. */
export function resign(fields: Readonly<Record<string, string>>, changes: Readonly<Record<string, string | undefined>>, key: string, signType: SignType = 'MD5'): string {
    const changed: Record<string, string | undefined> = { ...fields, ...changes };
    delete changed.sign;
    return buildWxXml({ ...changed, sign: sign(changed, key, signType) });
}
