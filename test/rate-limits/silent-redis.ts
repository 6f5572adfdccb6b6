import net from 'node:net';

/** An old Redis's answers: no RESP3 (the client falls back to RESP2), and not loading. */
const HANDSHAKE_REPLIES: Readonly<Record<string, string>> = {
    HELLO: "-ERR unknown command 'HELLO'\r\n",
    INFO: '$11\r\nloading:0\r\n\r\n',
};

/**
 * A Redis that hangs: it accepts connections and, if `answersHandshake`, answers the
 * client's set-up commands (CLIENT, INFO, ...) but never a script, as a Redis stuck on a
 * slow command or a full disk would. Otherwise it never answers anything.
 */
export class SilentRedis {
    private readonly sockets = new Set<net.Socket>();

    private constructor(private readonly server: net.Server, readonly url: string) {}

    static async open({ answersHandshake }: { answersHandshake: boolean }): Promise<SilentRedis> {
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const silent = new SilentRedis(server, `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
        server.on('connection', (socket) => {
            silent.sockets.add(socket);
            socket.on('close', () => silent.sockets.delete(socket));
            let hung = !answersHandshake;
            socket.on('data', (data) => {
                // Each command arrives as a RESP array whose first bulk string is its name.
                for (const [, name] of data.toString('latin1').matchAll(/\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g)) {
                    hung ||= /^(EVAL|EVALSHA)$/i.test(name!);
                    if (!hung) {
                        socket.write(HANDSHAKE_REPLIES[name!.toUpperCase()] ?? '+OK\r\n');
                    }
                }
            });
        });
        return silent;
    }

    close(): Promise<void> {
        for (const socket of this.sockets) {
            socket.destroy();
        }
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
