import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

import type { ServerRoute } from '@hapi/hapi';

import { certificateErrorPage, certificateProblem } from '../client-certificate';
import { faultResponse } from '../fault-response';
import { closeOrder, CLOSEORDER_REQUIRED } from '../pay/closeorder';
import { downloadBill, DOWNLOADBILL_REQUIRED, type BillAnswer } from '../pay/downloadbill';
import { businessErrorReply, forgedReply, type PayEndpoint } from '../pay/fault-replies';
import { orderQuery, ORDERQUERY_REQUIRED } from '../pay/orderquery';
import { receive, type PayRequest } from '../pay/protocol';
import { refund, REFUND_REQUIRED } from '../pay/refund';
import { refundQuery, REFUNDQUERY_REQUIRED } from '../pay/refundquery';
import { unifiedOrder, UNIFIEDORDER_REQUIRED } from '../pay/unifiedorder';
import type { Simulator } from '../simulator';
import { XML_PAYLOAD } from './validation';

interface Endpoint {
    readonly name: PayEndpoint;
    readonly path: string;
    /** /secapi: refused before anything else without the merchant's client certificate. */
    readonly needsCertificate?: true;
    readonly required: readonly string[];
    /** XML, or for downloadbill the bill's text (or its gzip) as it is written. */
    readonly answer: (simulator: Simulator, request: PayRequest) => string | BillAnswer;
}

const ENDPOINTS: readonly Endpoint[] = [
    { name: 'unifiedorder', path: '/pay/unifiedorder', required: UNIFIEDORDER_REQUIRED, answer: unifiedOrder },
    { name: 'orderquery', path: '/pay/orderquery', required: ORDERQUERY_REQUIRED, answer: orderQuery },
    { name: 'closeorder', path: '/pay/closeorder', required: CLOSEORDER_REQUIRED, answer: closeOrder },
    { name: 'refund', path: '/secapi/pay/refund', needsCertificate: true, required: REFUND_REQUIRED, answer: refund },
    { name: 'refundquery', path: '/pay/refundquery', required: REFUNDQUERY_REQUIRED, answer: refundQuery },
    { name: 'downloadbill', path: '/pay/downloadbill', required: DOWNLOADBILL_REQUIRED, answer: downloadBill },
];

/** WeChat Pay API v2: XML in, XML out (a bill as text), HTTP 200 whatever the answer (faults and certificates aside). */
export function payRoutes(simulator: Simulator): ServerRoute[] {
    return ENDPOINTS.map((endpoint): ServerRoute => ({
        method: 'POST',
        path: endpoint.path,
        options: { payload: XML_PAYLOAD },
        handler: async (request, h) => {
            const payload = Buffer.isBuffer(request.payload) ? request.payload : Buffer.alloc(0);
            const xml = (body: string) => h.response(body).type('text/xml');

            const problem = endpoint.needsCertificate ? certificateProblem(request, simulator.merchant.mchId) : undefined;
            if (problem !== undefined) {
                return h.response(certificateErrorPage(problem)).type('text/html').code(400);
            }
            const genuine = async () => {
                const received = await receive(payload, endpoint.required, simulator.merchant);
                if ('reply' in received) {
                    return xml(received.reply);
                }
                const answer = endpoint.answer(simulator, received.request);
                if (typeof answer === 'string') {
                    return xml(answer);
                }
                if ('refusal' in answer) {
                    return xml(answer.refusal);
                }
                const text = Readable.from(answer.bill, { objectMode: false });
                return answer.gzip
                    ? h.response(pipeline(text, createGzip(), () => undefined)).type('application/octet-stream')
                    : h.response(text).type('text/plain').charset('utf-8');
            };
            const fault = simulator.faults.take(endpoint.name);
            const faulted = fault && await faultResponse(fault, h, simulator.scheduler, {
                badsign: async () => xml(await forgedReply(simulator, endpoint.name, payload)),
                businessError: async (error) => xml(await businessErrorReply(simulator, payload, error)),
                genuine,
            });
            return faulted ?? genuine();
        },
    }));
}
