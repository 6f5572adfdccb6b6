import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import net from 'node:net';

import { count, witness } from './figures';

// Plain node:http, one connection per request (nothing kept alive, nothing left open), so
// the suite controls every byte it sends and sees every byte it gets.

export interface Reply {
    readonly status: number;
    readonly headers: IncomingHttpHeaders;
    readonly body: Buffer;
    readonly text: string;
    /** Milliseconds from sending to the end of the reply. */
    readonly ms: number;
}

export interface RequestOptions {
    readonly method?: string;
    readonly headers?: OutgoingHttpHeaders;
    readonly body?: string | Buffer;
    /** The whole exchange, connection to last byte. Default 20 s. */
    readonly timeoutMs?: number;
}

export class TransportError extends Error {
    constructor(readonly code: string, readonly ms: number, message: string) {
        super(message);
    }
}

/** Sends one request; resolves with whatever status came back, rejects with a TransportError when none did. */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
    const { method = 'GET', headers = {}, body, timeoutMs = 20_000 } = options;
    const started = Date.now();
    count('requests');
    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (code: string, message: string) => {
            if (!settled) {
                settled = true;
                reject(new TransportError(code, Date.now() - started, `${method} ${url}: ${message}`));
            }
        };
        const req = http.request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) }, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'ERROR', error.message));
            res.on('end', () => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                const replyBody = Buffer.concat(chunks);
                const text = replyBody.toString('utf8');
                witness(`${method} ${new URL(url).pathname} → ${res.statusCode}`, text);
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: replyBody, text, ms: Date.now() - started });
            });
        });
        const timer = setTimeout(() => {
            fail('TIMEOUT', `no complete reply within ${timeoutMs} ms`);
            req.destroy();
        }, timeoutMs);
        req.on('error', (error: NodeJS.ErrnoException) => {
            clearTimeout(timer);
            fail(error.code ?? 'ERROR', error.message);
        });
        // A server may answer (413) and close before a big body is written: the answer counts, the EPIPE does not.
        req.end(body);
    });
}

/** Like request, but a transport failure is a value: `{ error: 'ECONNREFUSED' }`. */
export async function attempt(url: string, options: RequestOptions = {}): Promise<Reply | { readonly error: string; readonly ms: number }> {
    try {
        return await request(url, options);
    }
    catch (error) {
        if (error instanceof TransportError) {
            return { error: error.code, ms: error.ms };
        }
        throw error;
    }
}

export async function json<T>(url: string, method: string, payload?: unknown, headers: OutgoingHttpHeaders = {}): Promise<{ reply: Reply; data: T }> {
    const reply = await request(url, {
        method,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    let data: T;
    try {
        data = JSON.parse(reply.text) as T;
    }
    catch {
        data = undefined as T;
    }
    return { reply, data };
}

export function bearer(token: string): OutgoingHttpHeaders {
    return { authorization: `Bearer ${token}` };
}

export { freePort } from '../../test/helpers/wait';

/** Whether a TCP connection to the port is refused (nothing listens). */
export function connectionRefused(port: number, timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        const done = (refused: boolean) => {
            socket.destroy();
            resolve(refused);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once('connect', () => done(false));
        socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
    });
}
