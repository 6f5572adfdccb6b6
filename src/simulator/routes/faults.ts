import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { FAULT_ENDPOINTS, FAULT_KINDS, type FaultEndpoint, type FaultKind } from '../faults';
import type { Simulator } from '../simulator';
import { TOKEN_REFUSAL_KINDS } from '../stable-token';
import { failWithDetail, JSON_PAYLOAD } from './validation';

interface FaultRequest {
    readonly endpoint: FaultEndpoint;
    readonly fault: FaultKind;
    readonly count: number;
    readonly delayMs: number;
}

const faultRequest = Joi.object<FaultRequest>({
    endpoint: Joi.string().valid(...FAULT_ENDPOINTS).required(),
    // The token refusals are stable_token's alone: elsewhere the 400 lists the kinds that endpoint takes.
    fault: Joi.string().required().when('endpoint', {
        is: 'stable_token',
        then: Joi.valid(...FAULT_KINDS),
        otherwise: Joi.valid(...FAULT_KINDS.filter((kind) => !(TOKEN_REFUSAL_KINDS as readonly string[]).includes(kind))),
    }),
    count: Joi.number().integer().min(1).max(1000).default(1),
    delayMs: Joi.number().integer().min(0).max(600_000).default(30_000),
});

/** Makes the next calls of a WeChat endpoint fail, so the app's error paths can be tested. */
export function faultRoutes(simulator: Simulator): ServerRoute[] {
    return [
        {
            method: 'POST',
            path: '/simulator/faults',
            options: { payload: JSON_PAYLOAD, validate: { payload: faultRequest, failAction: failWithDetail } },
            handler: (request, h) => {
                const { endpoint, fault, count, delayMs } = request.payload as FaultRequest;
                simulator.faults.add(endpoint, { kind: fault, delayMs }, count);
                return h.response({ endpoint, fault, count, delayMs }).code(201);
            },
        },
        {
            method: 'DELETE',
            path: '/simulator/faults',
            handler: (_request, h) => {
                simulator.faults.clear();
                return h.response().code(204);
            },
        },
    ];
}
