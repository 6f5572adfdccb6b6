import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

import axios, { isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';

/** How a call to WeChat ended, as far as HTTP can tell (WeChat's own error codes are the caller's to read). */
export type WechatCallOutcome = 'ok' | 'http_error' | 'timeout' | 'network_error';

export interface WechatCall {
    /** The API named by the URL's last two path segments: `pay/unifiedorder`, `sns/jscode2session`. */
    readonly api: string;
    readonly outcome: WechatCallOutcome;
    readonly seconds: number;
}

/** Told about every call to WeChat once it ends (metrics). */
export type WechatCallObserver = (call: WechatCall) => void;

/**
 * How long a kept-alive connection may sit idle before it is closed on this side: shorter than
 * servers keep one (Node's, the simulator's, 5 s; nginx's 75 s), so a call never goes out on a
 * connection the server is closing at that moment, which ends in ECONNRESET (a 502 for the shopper).
 */
export const IDLE_CONNECTION_MS = 4000;

/**
 * The one HTTP client for calls to WeChat: a hard timeout, and keep-alive agents
 * (a fresh TLS connection per call cost about 2.5× more). Statuses are not thrown,
 * so each caller reads WeChat's own error body.
 */
export function createWechatHttpClient(timeoutMs: number, observe?: WechatCallObserver): AxiosInstance {
    const client = axios.create({
        timeout: timeoutMs,
        // `timeout` is the socket's idle time: Node closes a free socket on it (axios times requests itself).
        httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS }),
        httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS }),
        maxRedirects: 0,
        maxContentLength: 1024 * 1024,
        responseType: 'text',
        transitional: { clarifyTimeoutError: true },
        validateStatus: () => true,
    });
    if (observe !== undefined) {
        watchCalls(client, observe);
    }
    return client;
}

/** The merchant certificate an https.Agent presents, and the private CA it trusts besides the system's (the simulator's). */
export interface ClientCertificate {
    readonly cert: string;
    readonly key: string;
    readonly ca?: string;
}

/**
 * The agent for /secapi calls only: it presents the merchant certificate, so no other call
 * (and no other host's server) ever sees it. Keep-alive like the others; the timeout is the
 * client's, per request.
 */
export function createSecapiAgent({ cert, key, ca }: ClientCertificate): https.Agent {
    // `ca` replaces Node's roots, so the system's stay in alongside a private one.
    return new https.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS, cert, key, ca: ca === undefined ? undefined : [...tls.rootCertificates, ca] });
}

function watchCalls(client: AxiosInstance, observe: WechatCallObserver): void {
    const startedAt = new WeakMap<InternalAxiosRequestConfig, bigint>();
    const report = (config: InternalAxiosRequestConfig | undefined, outcome: WechatCallOutcome) => {
        const started = config === undefined ? undefined : startedAt.get(config);
        if (config === undefined || started === undefined) {
            return;
        }
        // Every caller passes the whole URL (no baseURL), and apiOf reads only its path: the
        // URL as given names the API without client.getUri merging the whole config again.
        observe({ api: apiOf(config.url ?? '/'), outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    };
    client.interceptors.request.use((config) => {
        startedAt.set(config, process.hrtime.bigint());
        return config;
    }, undefined, { synchronous: true });
    client.interceptors.response.use(
        (response) => {
            report(response.config, response.status >= 200 && response.status < 300 ? 'ok' : 'http_error');
            return response;
        },
        (error: unknown) => {
            if (isAxiosError(error)) {
                report(error.config, error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED' ? 'timeout' : 'network_error');
            }
            throw error;
        },
    );
}

/** `https://api.mch.weixin.qq.com/pay/unifiedorder` → `pay/unifiedorder` (also under the simulator's /__wechat prefix). */
export function apiOf(url: string): string {
    const segments = new URL(url, 'http://wechat.invalid').pathname.split('/').filter(Boolean);
    return segments.slice(-2).join('/') || '/';
}
