import net from 'node:net';

import { count } from './figures';

/**
 * A TCP relay the test can cut: between the app and MariaDB (a database outage) or between
 * the app and WeChat (connection refused). Cut: every connection is destroyed and the port
 * stops listening, so new connections are refused. Restore: the same port listens again.
 */
export class TcpProxy {
    private server: net.Server | undefined;
    private readonly sockets = new Set<net.Socket>();
    connections = 0;

    private constructor(private boundPort: number, private readonly target: { host: string; port: number }) {}

    get port(): number {
        return this.boundPort;
    }

    /** Listening on `port` (0: any free one), relaying to `target`. */
    static async open(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
        const proxy = new TcpProxy(port, target);
        return proxy.listen();
    }

    /** A relay whose port is reserved but closed until `restore()`: connections are refused. */
    static async closed(target: { host: string; port: number }, port: number): Promise<TcpProxy> {
        return new TcpProxy(port, target);
    }

    get listening(): boolean {
        return this.server !== undefined;
    }

    async cut(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        for (const socket of this.sockets) {
            socket.destroy();
        }
        this.sockets.clear();
        if (server) {
            count('faults');
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    }

    async restore(): Promise<void> {
        if (!this.server) {
            await this.listen();
        }
    }

    async close(): Promise<void> {
        await this.cut();
    }

    private listen(): Promise<TcpProxy> {
        const server = net.createServer((client) => {
            this.connections += 1;
            const upstream = net.connect(this.target);
            for (const socket of [client, upstream]) {
                this.sockets.add(socket);
                socket.on('close', () => this.sockets.delete(socket));
                socket.on('error', () => {
                    client.destroy();
                    upstream.destroy();
                });
            }
            client.pipe(upstream);
            upstream.pipe(client);
        });
        return new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.boundPort, '127.0.0.1', () => {
                server.off('error', reject);
                this.boundPort = (server.address() as net.AddressInfo).port;
                this.server = server;
                resolve(this);
            });
        });
    }
}
