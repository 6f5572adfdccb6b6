import net from 'node:net';

/** How one slow connection ended. */
export interface HeldConnection {
    /** From connecting until the server closed the connection (or the client gave up). */
    readonly heldMs: number;
    readonly closedByServer: boolean;
    /** Everything the server sent (e.g. a status line), as text. */
    readonly received: string;
}

export interface SlowClientOptions {
    readonly port: number;
    /** Sent at once after connecting; '' sends nothing (a silent socket). */
    readonly opening?: string;
    /** Then sent one byte at a time, one every `dripEveryMs`; nothing when empty. */
    readonly drip?: string;
    readonly dripEveryMs?: number;
    /** The client closes the connection itself after this: the server held it at least that long. */
    readonly giveUpMs: number;
}

/** A real client on a real socket that sends slowly (or not at all) and waits for the server to hang up. */
export function holdConnection({ port, opening = '', drip = '', dripEveryMs = 250, giveUpMs }: SlowClientOptions): Promise<HeldConnection> {
    return new Promise((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        let connectedAt = Date.now();
        let received = '';
        let sent = 0;
        let dripper: NodeJS.Timeout | undefined;
        const finish = (closedByServer: boolean) => {
            clearInterval(dripper);
            clearTimeout(giveUp);
            socket.destroy();
            resolve({ heldMs: Date.now() - connectedAt, closedByServer, received });
        };
        const giveUp = setTimeout(() => finish(false), giveUpMs);
        socket.once('connect', () => {
            connectedAt = Date.now();
            if (opening) {
                socket.write(opening);
            }
            if (drip) {
                dripper = setInterval(() => {
                    if (sent < drip.length && socket.writable) {
                        socket.write(drip[sent++]!);
                    }
                }, dripEveryMs);
            }
        });
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
        socket.once('end', () => finish(true));
        socket.once('close', () => finish(true));
        // A reset is the server hanging up too; a refused connection is a failure of the test's setup.
        socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? reject(error) : finish(true)));
    });
}
