import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Models } from '../models';
import type { WechatCallObserver } from '../wechat/http';

/** Seconds; WeChat's own calls time out at WX_HTTP_TIMEOUT_MS (5 s by default). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpRequestSample {
    /** The route's path template (`/orders/{orderId}`), never the raw URL: one series per route. */
    readonly route: string;
    readonly method: string;
    readonly status: number;
    readonly seconds: number;
}

/**
 * The app's Prometheus metrics, on a registry of its own (several apps may share a process in
 * tests). Counts of stored orders and notifications are read from the database at scrape time,
 * so every instance reports the same truth.
 */
export class Metrics {
    readonly registry = new Registry();
    private readonly requests: Counter<'route' | 'method' | 'status'>;
    private readonly requestSeconds: Histogram<'route' | 'method' | 'status'>;
    private readonly wechatCalls: Counter<'api' | 'outcome'>;
    private readonly wechatSeconds: Histogram<'api' | 'outcome'>;

    constructor(models: Pick<Models, 'Order' | 'PaymentNotification'>) {
        const registers = [this.registry];
        collectDefaultMetrics({ register: this.registry });
        this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames: ['route', 'method', 'status'], registers });
        this.requestSeconds = new Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request', labelNames: ['route', 'method', 'status'], buckets: DURATION_BUCKETS, registers });
        this.wechatCalls = new Counter({ name: 'wechat_calls_total', help: 'Calls to WeChat, by API and outcome (ok, http_error, timeout, network_error)', labelNames: ['api', 'outcome'], registers });
        this.wechatSeconds = new Histogram({ name: 'wechat_call_duration_seconds', help: 'Latency of calls to WeChat', labelNames: ['api', 'outcome'], buckets: DURATION_BUCKETS, registers });
        countedAtScrape(this.registry, 'shop_orders', 'Orders in the database, by status', 'status', () => models.Order.count({ group: ['status'] }));
        countedAtScrape(this.registry, 'shop_payment_notifications', 'Stored payment notification deliveries, by outcome', 'outcome', () => models.PaymentNotification.count({ group: ['outcome'] }));
    }

    recordRequest({ route, method, status, seconds }: HttpRequestSample): void {
        const labels = { route, method, status: String(status) };
        this.requests.inc(labels);
        this.requestSeconds.observe(labels, seconds);
    }

    /** For createWechatHttpClient. */
    readonly recordWechatCall: WechatCallObserver = ({ api, outcome, seconds }) => {
        this.wechatCalls.inc({ api, outcome });
        this.wechatSeconds.observe({ api, outcome }, seconds);
    };

    /** Prometheus text exposition format. */
    async exposition(): Promise<{ contentType: string; body: string }> {
        return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    }
}

/**
 * A gauge whose values are one GROUP BY at scrape time. If the database does not answer,
 * the gauge is left empty for that scrape rather than failing the others.
 */
function countedAtScrape<Label extends string>(
    registry: Registry,
    name: string,
    help: string,
    label: Label,
    count: () => Promise<Array<{ count: number } & Record<string, unknown>>>,
): void {
    new Gauge({
        name,
        help,
        labelNames: [label],
        registers: [registry],
        async collect() {
            this.reset();
            let rows: Array<{ count: number } & Record<string, unknown>>;
            try {
                rows = await count();
            }
            catch {
                return;
            }
            for (const row of rows) {
                this.set({ [label]: String(row[label]) } as Record<Label, string>, Number(row.count));
            }
        },
    });
}
