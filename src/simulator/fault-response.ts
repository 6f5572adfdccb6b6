import type { ResponseObject, ResponseToolkit } from '@hapi/hapi';

import { BUSINESS_FAULTS, type BusinessError, type Fault } from './faults';
import type { Scheduler } from './scheduler';
import { TOKEN_REFUSALS, type TokenRefusalKind } from './stable-token';

/** How an endpoint speaks its own protocol's failures (a forged signature, a business error), and does its genuine work. */
export interface ProtocolFaults {
    badsign(): Promise<ResponseObject> | ResponseObject;
    businessError(error: BusinessError): Promise<ResponseObject> | ResponseObject;
    /** The call's genuine work and answer, as without a fault. */
    genuine(): unknown;
}

/** A reply cut off mid-way: neither XML nor JSON. */
const GARBLED = '<xml><return_code><![CDATA[SUCC\u0000\uFFFD';

/**
 * The response for a call that suffers `fault`, or undefined to let the call through: a
 * timeout only delays the genuine answer (WeChat did the work; the caller gave up waiting).
 * A held reply ends at once with 503 when the simulator stops; a dropped one (`h.abandon`)
 * closes its connection when the simulator stops.
 */
export async function faultResponse(fault: Fault, h: ResponseToolkit, scheduler: Scheduler, protocol: ProtocolFaults): Promise<ResponseObject | symbol | undefined> {
    const { kind } = fault;
    if (isTokenRefusal(kind)) {
        // Only stable_token takes these (the faults route refuses them elsewhere): WeChat's JSON errcode.
        return h.response(TOKEN_REFUSALS[kind](h.request.info.remoteAddress.replace(/^::ffff:/, '')));
    }
    switch (kind) {
        case 'timeout':
            return (await scheduler.wait(fault.delayMs)) ? undefined : h.response('simulator stopping').code(503);
        case 'dropped':
            return dropAfter(fault.delayMs, h, scheduler);
        case 'reply_lost':
            await protocol.genuine();
            return dropAfter(fault.delayMs, h, scheduler);
        case 'http500':
            return h.response('<html><body><h1>500 Internal Server Error</h1></body></html>').type('text/html').code(500);
        case 'garbled':
            return h.response(GARBLED).type('text/plain');
        case 'badsign':
            return protocol.badsign();
        default:
            return protocol.businessError(BUSINESS_FAULTS[kind]);
    }
}

/** Holds the call, then closes its connection with no answer at all: the caller sees a reset (or its own timeout first). */
async function dropAfter(delayMs: number, h: ResponseToolkit, scheduler: Scheduler): Promise<symbol> {
    await scheduler.wait(delayMs);
    h.request.raw.req.socket.destroy();
    return h.abandon;
}

function isTokenRefusal(kind: Fault['kind']): kind is TokenRefusalKind {
    return Object.hasOwn(TOKEN_REFUSALS, kind);
}
