import Boom from '@hapi/boom';
import Cookie, { type CookieAuth } from '@hapi/cookie';
import Crumb, { type CrumbApi } from '@hapi/crumb';
import type { Plugin, Request, ResponseToolkit, RouteOptionsAccess } from '@hapi/hapi';

import type { StaffConfig } from '../config';
import type { StaffRole } from '../models/staff';
import { ROLE_SCOPES, type Scope } from '../services/staff/roles';
import type { StaffSessions } from '../services/staff/sessions';
import { ADMIN_STRATEGY } from './admin-auth';

/** What a staff session's request knows of its member: read from the database on every request. */
export interface StaffCredentials {
    readonly id: number;
    readonly name: string;
    readonly role: StaffRole;
    readonly sessionId: number;
    /** Only the session and password routes answer until the member chooses a password. */
    readonly passwordChangeRequired: boolean;
}

declare module '@hapi/hapi' {
    interface AuthCredentials {
        /** Set on requests authenticated by a staff session (the console). */
        readonly staff?: StaffCredentials;
    }
    interface Request {
        /** @hapi/cookie's handle on the staff session cookie. */
        readonly staffCookie: CookieAuth<StaffCookie>;
    }
    interface PluginsStates {
        crumb?: string;
    }
}

/** The strategy of a staff member's sealed session cookie. */
export const STAFF_STRATEGY = 'staff';

export const STAFF_COOKIE = 'wxshop_staff';
export const CRUMB_COOKIE = 'wxshop_crumb';
export const CRUMB_HEADER = 'X-CSRF-Token';

/** The sealed cookie's content: the session's random token, nothing else. */
export interface StaffCookie {
    readonly token: string;
}

/** Why a staff session was refused, in words the console shows. */
const REFUSALS = {
    unknown: 'not signed in (the session ended: signed out, signed out everywhere, or the password was changed)',
    ended: 'not signed in (the session ended)',
    idle: 'the session ended after being idle too long: sign in again',
    expired: 'the session reached its maximum length: sign in again',
    disabled: 'this staff account is disabled',
} as const;

/**
 * Who may call a merchant API route: the API key (every scope) or a staff session holding one of
 * `scopes`. Every /admin route takes its auth from here, so none is left without a scope.
 */
export function adminAccess(...scopes: Scope[]): RouteOptionsAccess {
    return { strategies: [ADMIN_STRATEGY, STAFF_STRATEGY], access: { scope: scopes } };
}

/** For the session's own routes: a signed-in member, whatever their role (and before they chose a password). */
export const STAFF_ONLY: RouteOptionsAccess = { strategies: [STAFF_STRATEGY] };

/** The crumb for the console to send back in X-CSRF-Token with every write. */
export function crumbOf(request: Request, h: ResponseToolkit): string {
    return (request.server.plugins as { crumb: CrumbApi }).crumb.generate(request, h);
}

export interface StaffAuthOptions {
    readonly config: StaffConfig;
    readonly sessions: StaffSessions;
}

/**
 * Staff sessions in a cookie sealed with iron (AES-256 and HMAC under STAFF_SESSION_SECRET):
 * HttpOnly, SameSite=Strict, Secure when PUBLIC_URL is https, path /. The cookie holds a random
 * token; the session's row decides on every request (ended, idle, past its maximum length, member
 * disabled). Every write a cookie authenticates needs the crumb (double-submit: X-CSRF-Token
 * equal to the crumb cookie, which another site can neither read nor set); requests with the API
 * key or a shopper's token carry no cookie authority and are not asked for one.
 */
export const staffAuthPlugin: Plugin<StaffAuthOptions> = {
    name: 'app-staff-auth',
    dependencies: ['app-admin-auth'],
    async register(server, { config, sessions }) {
        const cookieFlags = { isSecure: config.secureCookies, isHttpOnly: true, isSameSite: 'Strict', path: '/' } as const;
        await server.register(Cookie);
        server.auth.strategy(STAFF_STRATEGY, 'cookie', {
            cookie: { name: STAFF_COOKIE, password: config.sessionSecret, ttl: config.absoluteTimeoutMs, clearInvalid: true, ...cookieFlags },
            requestDecoratorName: 'staffCookie',
            validate: async (_request: Request, cookie: Partial<StaffCookie> | undefined) => {
                if (typeof cookie?.token !== 'string') {
                    return { isValid: false };
                }
                const checked = await sessions.check(cookie.token);
                if (!checked.valid) {
                    throw Boom.unauthorized(REFUSALS[checked.reason], 'cookie');
                }
                const { staff, sessionId } = checked;
                const credentials: StaffCredentials = { id: staff.id, name: staff.name, role: staff.role, sessionId, passwordChangeRequired: staff.passwordChangeRequired };
                return { isValid: true, credentials: { staff: credentials, scope: staff.passwordChangeRequired ? [] : [...ROLE_SCOPES[staff.role]] } };
            },
        });
        await server.register({
            plugin: Crumb,
            options: {
                key: CRUMB_COOKIE,
                restful: true,
                headerName: CRUMB_HEADER,
                cookieOptions: cookieFlags,
                skip: (request) => request.auth.strategy !== STAFF_STRATEGY,
                logUnauthorized: true,
            },
        });
        // Crumb's refusal is a bare 403: say what is missing.
        server.ext('onPreResponse', (request, h) => {
            const response = request.response;
            if (Boom.isBoom(response) && response.output.statusCode === 403 && response.message === 'Forbidden' && request.auth.strategy === STAFF_STRATEGY) {
                response.output.payload.message = `missing or wrong ${CRUMB_HEADER} header: send the crumb from GET /admin/session with every write`;
            }
            return h.continue;
        });
    },
};
