import assert from 'node:assert/strict';

import type { ServerInjectOptions, ServerInjectResponse } from '@hapi/hapi';

import type { StaffRole } from '../../src/models/staff';
import type { TestApp } from './app';

// Staff members and their console sessions, over the app's routes as a browser would use them.

export const STAFF_PASSWORD = 'Correct-Horse-Battery-42';

export interface StaffBrowser {
    readonly name: string;
    readonly id: number;
    /** The Cookie header the browser sends: the sealed session and the crumb cookie. */
    cookies: Record<string, string>;
    crumb: string;
    /** A request with this browser's cookies; writes carry the crumb unless `crumb: false`. */
    inject(options: ServerInjectOptions & { crumb?: boolean }): Promise<ServerInjectResponse>;
}

/** A member made directly through the accounts service (as `npm run staff -- create` does), with a password of their own. */
export async function createStaff(app: TestApp, name: string, role: StaffRole, password = STAFF_PASSWORD): Promise<number> {
    const { staff } = await app.server.services().staff.create({ name, role, password });
    return staff.id;
}

/** Cookies a reply sets (name → value), and those it clears (value ''). */
export function setCookies(response: ServerInjectResponse): Record<string, string> {
    const header = response.headers['set-cookie'];
    const lines = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
    return Object.fromEntries(lines.map((line) => {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        return [pair!.slice(0, at), pair!.slice(at + 1)];
    }));
}

export const cookieHeader = (cookies: Record<string, string>) => Object.entries(cookies).filter(([, value]) => value !== '').map(([name, value]) => `${name}=${value}`).join('; ');

export async function signIn(app: TestApp, name: string, password = STAFF_PASSWORD, remoteAddress = '127.0.0.1'): Promise<StaffBrowser> {
    const response = await app.inject({ method: 'POST', url: '/admin/session', payload: { name, password }, remoteAddress });
    assert.equal(response.statusCode, 200, response.payload);
    const body = response.result as { crumb: string; staff: { id: number } };
    const browser: StaffBrowser = {
        name,
        id: body.staff.id,
        cookies: setCookies(response),
        crumb: body.crumb,
        async inject({ crumb = true, headers, ...options }) {
            const reply = await app.inject({
                ...options,
                headers: { ...headers, cookie: cookieHeader(browser.cookies), ...(crumb ? { 'x-csrf-token': browser.crumb } : {}) },
            });
            Object.assign(browser.cookies, setCookies(reply));
            return reply;
        },
    };
    return browser;
}
