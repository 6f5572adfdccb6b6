import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the app made to WeChat Pay, as the relay saw it pass. */
export interface Call {
    readonly path: string;
    readonly outTradeNo: string | undefined;
}

/**
 * Stands between the app and WeChat Pay and writes down every call: an independent witness
 * of how often WeChat was asked about each order, whichever instance asked.
 */
export class HttpRelay {
    readonly calls: Call[] = [];
    private readonly server: http.Server;
    private address = '';

    private constructor(private readonly target: string) {
        this.server = http.createServer((incoming, outgoing) => this.relay(incoming, outgoing));
    }

    static async open(target: string): Promise<HttpRelay> {
        const relay = new HttpRelay(target);
        await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
        relay.address = `http://127.0.0.1:${(relay.server.address() as AddressInfo).port}`;
        return relay;
    }

    get url(): string {
        return this.address;
    }

    /** How many calls to `path` (e.g. /pay/orderquery) named each out_trade_no. */
    countBy(path: string): Map<string, number> {
        const counts = new Map<string, number>();
        for (const call of this.calls) {
            if (call.path === path && call.outTradeNo !== undefined) {
                counts.set(call.outTradeNo, (counts.get(call.outTradeNo) ?? 0) + 1);
            }
        }
        return counts;
    }

    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }

    private relay(incoming: http.IncomingMessage, outgoing: http.ServerResponse): void {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
            const body = Buffer.concat(chunks);
            const outTradeNo = /<out_trade_no>(?:<!\[CDATA\[)?([^<\]]*)/.exec(body.toString('utf8'))?.[1];
            this.calls.push({ path: incoming.url ?? '', outTradeNo });
            const forward = http.request(`${this.target}${incoming.url ?? ''}`, {
                method: incoming.method,
                headers: { 'content-type': incoming.headers['content-type'] ?? 'text/xml', 'content-length': body.length },
                agent: false,
            }, (answer) => {
                outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(outgoing);
            });
            forward.on('error', () => outgoing.destroy());
            forward.end(body);
        });
    }
}
