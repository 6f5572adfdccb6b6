import type { ServerRoute } from '@hapi/hapi';

import { faultResponse } from '../fault-response';
import { closeOrder, CLOSEORDER_REQUIRED } from '../pay/closeorder';
import { forgedReply, systemErrorReply, type PayEndpoint } from '../pay/fault-replies';
import { orderQuery, ORDERQUERY_REQUIRED } from '../pay/orderquery';
import { receive, type PayRequest } from '../pay/protocol';
import { unifiedOrder, UNIFIEDORDER_REQUIRED } from '../pay/unifiedorder';
import type { Simulator } from '../simulator';
import { XML_PAYLOAD } from './validation';

interface Endpoint {
    readonly name: PayEndpoint;
    readonly required: readonly string[];
    readonly answer: (simulator: Simulator, request: PayRequest) => string;
}

const ENDPOINTS: readonly Endpoint[] = [
    { name: 'unifiedorder', required: UNIFIEDORDER_REQUIRED, answer: unifiedOrder },
    { name: 'orderquery', required: ORDERQUERY_REQUIRED, answer: orderQuery },
    { name: 'closeorder', required: CLOSEORDER_REQUIRED, answer: closeOrder },
];

/** WeChat Pay API v2: XML in, XML out, HTTP 200 whatever the answer (faults aside). */
export function payRoutes(simulator: Simulator): ServerRoute[] {
    return ENDPOINTS.map((endpoint): ServerRoute => ({
        method: 'POST',
        path: `/pay/${endpoint.name}`,
        options: { payload: XML_PAYLOAD },
        handler: async (request, h) => {
            const payload = Buffer.isBuffer(request.payload) ? request.payload : Buffer.alloc(0);
            const xml = (body: string) => h.response(body).type('text/xml');

            const fault = simulator.faults.take(endpoint.name);
            const faulted = fault && await faultResponse(fault, h, simulator.scheduler, {
                badsign: async () => xml(await forgedReply(simulator, endpoint.name, payload)),
                systemerror: async () => xml(await systemErrorReply(simulator, payload)),
            });
            if (faulted) {
                return faulted;
            }
            const received = await receive(payload, endpoint.required, simulator.merchant);
            return xml('reply' in received ? received.reply : endpoint.answer(simulator, received.request));
        },
    }));
}
