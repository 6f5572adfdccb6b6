// What a right answer is, per route. Every reply the load generator receives goes through one
// of these; anything else is counted as a wrong answer (non-2xx replies are counted apart).

export type CheckName = keyof typeof CHECKS;

/** What a check learned from a right answer, sent back to the orchestrator (e.g. a created order). */
export type Collected = Record<string, unknown> | undefined;

export interface Verdict {
    readonly ok: boolean;
    readonly collected?: Collected;
}

const WRONG: Verdict = { ok: false };
const RIGHT: Verdict = { ok: true };

function json(body: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(body);
        return typeof value === 'object' && value !== null ? value as Record<string, unknown> : undefined;
    }
    catch {
        return undefined;
    }
}

const isPage = (page: Record<string, unknown> | undefined, minimum: number) =>
    page !== undefined && Array.isArray(page.results) && page.results.length >= minimum && typeof page.totalCount === 'number';

/** `tag` is what the orchestrator attached to the request (the user, the order). */
export const CHECKS = {
    hello: (status: number, body: string): Verdict => (status === 200 && body === '{"hello":"world"}' ? RIGHT : WRONG),
    root: (status: number, body: string): Verdict => (status === 200 && body === 'hello hapi' ? RIGHT : WRONG),
    shops: (status: number, body: string): Verdict => (status === 200 && isPage(json(body), 1) ? RIGHT : WRONG),
    ordersList: (status: number, body: string): Verdict => (status === 200 && isPage(json(body), 0) ? RIGHT : WRONG),
    /** Any list's page (GET /shops and GET /orders mixed in one run). */
    page: (status: number, body: string): Verdict => (status === 200 && isPage(json(body), 0) ? RIGHT : WRONG),
    orderCreated: (status: number, body: string, tag: unknown): Verdict => {
        const order = status === 201 ? json(body) : undefined;
        const { expectedFee, user } = tag as { expectedFee: number; user: number };
        if (!order || typeof order.id !== 'number' || order.total_fee !== expectedFee || order.status !== 'unpaid' || typeof order.out_trade_no !== 'string') {
            return WRONG;
        }
        return { ok: true, collected: { id: order.id, outTradeNo: order.out_trade_no, totalFee: order.total_fee, user } };
    },
    pay: (status: number, body: string, tag: unknown): Verdict => {
        const pay = status === 200 ? json(body) : undefined;
        const ok = pay !== undefined && typeof pay.package === 'string' && pay.package.startsWith('prepay_id=') && typeof pay.paySign === 'string';
        return ok ? { ok, collected: tag as Collected } : WRONG;
    },
    notify: (status: number, body: string, tag: unknown): Verdict =>
        (status === 200 && /<return_code>(<!\[CDATA\[)?SUCCESS(\]\]>)?<\/return_code>/.test(body) ? { ok: true, collected: tag as Collected } : WRONG),
};
