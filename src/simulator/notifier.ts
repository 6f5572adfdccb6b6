import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import axios, { type AxiosInstance } from 'axios';

import { parseWxXml } from '../wechat/xml';
import type { Clock } from './clock';
import type { Scheduler } from './scheduler';

/** WeChat Pay v2's current retry delays after a failed notification, in (simulated) seconds. */
export const RETRY_DELAYS_SECONDS: readonly number[] = [
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

export interface NotificationInput {
    readonly outTradeNo: string;
    readonly transactionId?: string;
    readonly resultCode: 'SUCCESS' | 'FAIL';
    readonly notifyUrl: string;
    readonly xml: string;
    /** Set for a refund notification, which goes through the same delivery and retries. */
    readonly outRefundNo?: string;
}

export interface DeliveryAttempt {
    /** `scheduled`: attempt 1 is the first delivery, n the (n-1)th retry. `resend`: the nth manual resend. */
    readonly kind: 'scheduled' | 'resend';
    readonly attempt: number;
    /** Which of the parallel senders (1..notifyDuplicates) made it; retries and resends use 1. */
    readonly sender: number;
    readonly at: string;
    readonly httpStatus?: number;
    readonly outcome: 'acknowledged' | 'failed';
    readonly reason?: string;
}

export interface NotificationView {
    readonly out_trade_no: string;
    readonly transaction_id?: string;
    readonly result_code: 'SUCCESS' | 'FAIL';
    readonly notify_url: string;
    readonly out_refund_no?: string;
    readonly acknowledged: boolean;
    readonly gaveUp: boolean;
    /** The exact body posted, so tests can replay or tamper with it. */
    readonly xml: string;
    readonly attempts: readonly DeliveryAttempt[];
}

interface NotificationRecord extends NotificationInput {
    acknowledged: boolean;
    gaveUp: boolean;
    readonly attempts: DeliveryAttempt[];
}

type Delivery = Pick<DeliveryAttempt, 'httpStatus' | 'outcome' | 'reason'>;

export interface NotifierOptions {
    readonly duplicates: number;
    readonly timeoutMs: number;
}

/** Delivers payment and refund notifications the way WeChat does, and remembers every attempt. */
export class Notifier {
    private readonly records: NotificationRecord[] = [];
    private readonly httpAgent = new HttpAgent({ keepAlive: true });
    private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
    private readonly http: AxiosInstance;

    constructor(private readonly clock: Clock, private readonly scheduler: Scheduler, private readonly options: NotifierOptions) {
        this.http = axios.create({
            httpAgent: this.httpAgent,
            httpsAgent: this.httpsAgent,
            timeout: options.timeoutMs,
            headers: { 'Content-Type': 'text/xml' },
            responseType: 'text',
            transformResponse: (data: unknown) => data,
            validateStatus: () => true,
            maxRedirects: 0,
            maxContentLength: 65_536,
            // notify_url is the app next door; an HTTP(S)_PROXY in the environment must not reroute it.
            proxy: false,
        });
    }

    /** Starts delivery: `duplicates` senders at once, then the retry schedule until one is acknowledged. */
    send(notification: NotificationInput): void {
        const record: NotificationRecord = { ...notification, acknowledged: false, gaveUp: false, attempts: [] };
        this.records.push(record);
        void this.deliver(record, 1);
    }

    list(outTradeNo?: string): NotificationView[] {
        return this.records
            .filter((record) => outTradeNo === undefined || record.outTradeNo === outTradeNo)
            .map((record) => ({
                out_trade_no: record.outTradeNo,
                transaction_id: record.transactionId,
                result_code: record.resultCode,
                notify_url: record.notifyUrl,
                out_refund_no: record.outRefundNo,
                acknowledged: record.acknowledged,
                gaveUp: record.gaveUp,
                xml: record.xml,
                attempts: [...record.attempts],
            }));
    }

    /** Posts the order's latest notification once more, outside the schedule; undefined if there is none. */
    async resend(outTradeNo: string): Promise<DeliveryAttempt | undefined> {
        const record = this.records.filter((candidate) => candidate.outTradeNo === outTradeNo).at(-1);
        if (record === undefined) {
            return undefined;
        }
        const resends = record.attempts.filter((attempt) => attempt.kind === 'resend').length;
        return this.attempt(record, 'resend', resends + 1, 1);
    }

    /** Drops kept-alive sockets; pending waits and requests end with the scheduler. */
    close(): void {
        this.httpAgent.destroy();
        this.httpsAgent.destroy();
    }

    private async deliver(record: NotificationRecord, attempt: number): Promise<void> {
        const senders = attempt === 1 ? this.options.duplicates : 1;
        await Promise.all(Array.from({ length: senders }, (_, index) => this.attempt(record, 'scheduled', attempt, index + 1)));
        if (record.acknowledged) {
            return;
        }
        const delay = RETRY_DELAYS_SECONDS[attempt - 1];
        if (delay === undefined) {
            record.gaveUp = true;
            return;
        }
        // A resend may be acknowledged while this waits.
        if ((await this.scheduler.wait(this.clock.realMs(delay))) && !record.acknowledged) {
            await this.deliver(record, attempt + 1);
        }
    }

    private async attempt(record: NotificationRecord, kind: DeliveryAttempt['kind'], attempt: number, sender: number): Promise<DeliveryAttempt> {
        const at = new Date().toISOString();
        const entry: DeliveryAttempt = { kind, attempt, sender, at, ...(await this.post(record)) };
        record.attempts.push(entry);
        if (entry.outcome === 'acknowledged') {
            record.acknowledged = true;
        }
        return entry;
    }

    private async post(record: NotificationRecord): Promise<Delivery> {
        try {
            const response = await this.http.post<string>(record.notifyUrl, record.xml, { signal: this.scheduler.signal });
            const problem = await acknowledgementProblem(response.status, response.data);
            return problem === undefined
                ? { httpStatus: response.status, outcome: 'acknowledged' }
                : { httpStatus: response.status, outcome: 'failed', reason: problem };
        }
        catch (error) {
            return { outcome: 'failed', reason: this.describe(error) };
        }
    }

    private describe(error: unknown): string {
        if (!axios.isAxiosError(error)) {
            return String(error);
        }
        if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
            return `no reply within ${this.options.timeoutMs} ms`;
        }
        return `${error.code ?? 'ERROR'}: ${error.message}`;
    }
}

/** WeChat counts a notification delivered only on a 2xx whose body is XML saying return_code SUCCESS. */
async function acknowledgementProblem(status: number, body: string): Promise<string | undefined> {
    if (status < 200 || status > 299) {
        return `HTTP ${status}`;
    }
    let reply: Record<string, string>;
    try {
        reply = await parseWxXml(body);
    }
    catch {
        return 'reply is not WeChat XML';
    }
    return reply.return_code === 'SUCCESS' ? undefined : `reply return_code is ${reply.return_code ?? 'missing'}`;
}
