import Boom from '@hapi/boom';
import type { ResponseToolkit, ServerRoute } from '@hapi/hapi';

import { faultResponse } from '../fault-response';
import type { FaultEndpoint } from '../faults';
import { uploadShippingInfo } from '../shipping';
import type { Simulator } from '../simulator';
import { stableToken } from '../stable-token';
import { JSON_PAYLOAD } from './validation';

const SYSTEM_BUSY = { errcode: -1, errmsg: 'system error' };

/** A body WeChat could not read as a JSON object is its 47001 "data format error". */
const asObject = (payload: unknown): Record<string, unknown> | undefined =>
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) && !Buffer.isBuffer(payload) ? payload as Record<string, unknown> : undefined;

/** The call's answer: `genuine`'s, unless a fault injected for `endpoint` answers instead. */
async function answer(simulator: Simulator, endpoint: FaultEndpoint, h: ResponseToolkit, genuine: () => unknown) {
    const fault = simulator.faults.take(endpoint);
    const faulted = fault && await faultResponse(fault, h, simulator.scheduler, { badsign: () => h.response(SYSTEM_BUSY), businessError: () => h.response(SYSTEM_BUSY), genuine });
    return faulted ?? genuine();
}

/**
 * The mini-program server APIs the order-shipping service needs (stable_token,
 * upload_shipping_info; errors are HTTP 200 with an errcode, as WeChat's are) and, under
 * /simulator, the shopper confirming receipt in WeChat and what tests read.
 */
export function shippingRoutes(simulator: Simulator): ServerRoute[] {
    const { accessTokens, orders, shippings } = simulator;
    return [
        {
            method: 'POST',
            path: '/cgi-bin/stable_token',
            options: { payload: { ...JSON_PAYLOAD, failAction: (_request, h) => h.response({ errcode: 47001, errmsg: 'data format error' }).takeover() } },
            handler: async (request, h) => {
                const body = asObject(request.payload);
                return answer(simulator, 'stable_token', h,
                    () => (body === undefined ? { errcode: 47001, errmsg: 'data format error' } : stableToken(simulator.merchant, accessTokens, body)));
            },
        },
        {
            method: 'POST',
            path: '/wxa/sec/order/upload_shipping_info',
            options: { payload: { ...JSON_PAYLOAD, failAction: (_request, h) => h.response({ errcode: 47001, errmsg: 'data format error' }).takeover() } },
            handler: async (request, h) => {
                const body = asObject(request.payload);
                const token = typeof request.query.access_token === 'string' ? request.query.access_token : undefined;
                return answer(simulator, 'upload_shipping_info', h,
                    () => (body === undefined ? { errcode: 47001, errmsg: 'data format error' } : uploadShippingInfo(accessTokens, orders, shippings, token, body)));
            },
        },
        {
            method: 'GET',
            path: '/simulator/access-tokens',
            handler: () => ({ issued: accessTokens.issuedCount, refused: accessTokens.refusedCount }),
        },
        {
            method: 'POST',
            path: '/simulator/access-tokens/expire',
            handler: (_request, h) => {
                accessTokens.expireCurrent();
                return h.response().code(204);
            },
        },
        {
            method: 'GET',
            path: '/simulator/shipping/{transaction_id}',
            handler: (request) => {
                const record = shippings.find(request.params.transaction_id as string);
                if (record === undefined) {
                    throw Boom.notFound('no shipping information for this transaction_id');
                }
                return record;
            },
        },
        {
            // The shopper taps "confirm receipt" in WeChat. The app hears of it through its own
            // POST /orders/{id}/confirm-receipt, which the mini-program calls once WeChat's page succeeds.
            method: 'POST',
            path: '/simulator/shipping/{transaction_id}/confirm-receipt',
            handler: (request) => {
                const record = shippings.find(request.params.transaction_id as string);
                if (record === undefined || record.uploads === 0) {
                    throw Boom.conflict('nothing was shipped for this transaction_id: WeChat has no receipt to confirm');
                }
                record.receiptConfirmed = true;
                return record;
            },
        },
    ];
}
