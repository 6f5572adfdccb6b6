export const FAULT_ENDPOINTS = ['jscode2session', 'unifiedorder', 'orderquery', 'closeorder'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

/**
 * timeout: hold the reply `delayMs`, then answer normally (WeChat did the work; the caller
 * gave up). http500: HTTP 500. garbled: 200 with text that is not XML (or JSON). badsign: a
 * normal-looking signed reply whose sign is wrong. systemerror: WeChat's SYSTEMERROR.
 */
export const FAULT_KINDS = ['timeout', 'http500', 'garbled', 'badsign', 'systemerror'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
    readonly kind: FaultKind;
    readonly delayMs: number;
}

interface Queued {
    readonly fault: Fault;
    remaining: number;
}

/** Faults waiting for the next calls of each endpoint, first injected first served. */
export class Faults {
    private readonly queues = new Map<FaultEndpoint, Queued[]>();

    add(endpoint: FaultEndpoint, fault: Fault, count: number): void {
        const queue = this.queues.get(endpoint) ?? [];
        queue.push({ fault, remaining: count });
        this.queues.set(endpoint, queue);
    }

    /** The fault this call of `endpoint` suffers, if any; consumes it. */
    take(endpoint: FaultEndpoint): Fault | undefined {
        const queue = this.queues.get(endpoint);
        const head = queue?.[0];
        if (queue === undefined || head === undefined) {
            return undefined;
        }
        head.remaining -= 1;
        if (head.remaining === 0) {
            queue.shift();
        }
        return head.fault;
    }

    clear(): void {
        this.queues.clear();
    }
}
