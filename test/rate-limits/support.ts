import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ServerInjectResponse } from '@hapi/hapi';

import type { TestApp } from '../helpers/app';

let codes = 0;

/** POST /users/wxLogin with a fresh wx.login code, as a client at `ip` (or a proxy at `ip` forwarding for `forwardedFor`). */
export function signIn(app: TestApp, ip: string, forwardedFor?: string): Promise<ServerInjectResponse> {
    return app.inject({
        method: 'POST',
        url: '/users/wxLogin',
        remoteAddress: ip,
        headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
        payload: { code: `ratelimit${++codes}.${Date.now()}` },
    });
}

/** A 429 as every limit answers it: the standard error body and Retry-After within the window. Returns Retry-After. */
export function assertTooMany(response: ServerInjectResponse, windowSeconds: number, message: RegExp): number {
    assert.equal(response.statusCode, 429, response.payload);
    const body = JSON.parse(response.payload) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'statusCode']);
    assert.equal(body.statusCode, 429);
    assert.equal(body.error, 'Too Many Requests');
    assert.match(String(body.message), message);
    const retryAfter = Number(response.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After ${response.headers['retry-after']}`);
    return retryAfter;
}

/** Waits out a window the way a client told "Retry-After: n" would. */
export function waitRetryAfter(seconds: number): Promise<void> {
    return sleep(seconds * 1000 + 100);
}
