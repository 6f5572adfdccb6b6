import { TOKEN_REFUSAL_KINDS, type TokenRefusalKind } from './stable-token';

export const FAULT_ENDPOINTS = ['jscode2session', 'unifiedorder', 'orderquery', 'closeorder', 'refund', 'refundquery', 'downloadbill', 'stable_token', 'upload_shipping_info'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

/**
 * timeout: hold the reply `delayMs`, then answer normally (WeChat did the work; the caller
 * gave up). dropped: hold the call `delayMs`, then close the connection having done nothing
 * (the request was lost on its way to WeChat). reply_lost: do the work at once, then hold the
 * reply `delayMs` and close the connection without it (WeChat took the call; its answer never
 * arrived). http500: HTTP 500. garbled: 200 with text that is not XML (or JSON). badsign: a
 * normal-looking signed reply whose sign is wrong. systemerror … notenough: WeChat's signed
 * business error of that name (the retryable ones, and a refund's NOTENOUGH), before any state
 * changes. The token refusals (stable_token only): WeChat refusing the mini-program's own setup
 * (a wrong appid or secret, an IP off the whitelist, a frozen secret).
 */
export const FAULT_KINDS = ['timeout', 'dropped', 'reply_lost', 'http500', 'garbled', 'badsign', 'systemerror', 'bizerr_need_retry', 'frequency_limited', 'notenough', ...TOKEN_REFUSAL_KINDS] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type BusinessFaultKind = Exclude<FaultKind, 'timeout' | 'dropped' | 'reply_lost' | 'http500' | 'garbled' | 'badsign' | TokenRefusalKind>;

/** A business error's err_code and err_code_des, in WeChat's words. */
export interface BusinessError {
    readonly errCode: string;
    readonly description: string;
}

export const BUSINESS_FAULTS: Readonly<Record<BusinessFaultKind, BusinessError>> = {
    systemerror: { errCode: 'SYSTEMERROR', description: '系统超时' },
    bizerr_need_retry: { errCode: 'BIZERR_NEED_RETRY', description: '退款业务流程错误，需要商户触发重试来解决' },
    frequency_limited: { errCode: 'FREQUENCY_LIMITED', description: '频率限制' },
    notenough: { errCode: 'NOTENOUGH', description: '基本账户余额不足，请充值后重新发起' },
};

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
