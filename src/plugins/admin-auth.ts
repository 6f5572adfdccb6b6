import { createHash, timingSafeEqual } from 'node:crypto';

import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';

import { ALL_SCOPES } from '../services/staff/roles';

declare module '@hapi/hapi' {
    interface AuthCredentials {
        /** Set on routes behind the merchant API's key: the caller is the shop's staff or back office. */
        readonly merchant?: true;
    }
}

/** The strategy the merchant API's routes name with `auth: 'admin'`. */
export const ADMIN_STRATEGY = 'admin';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The merchant API's own strategy: `Authorization: Bearer <ADMIN_API_KEY>`, compared in
 * constant time (as SHA-256 digests, so the key's length does not leak either). A shopper's JWT
 * never matches it, and the key is no JWT, so neither works on the other's routes. The key holds
 * every scope. A request without an Authorization header is "missing" here, so a route that also
 * takes a staff session tries that next; without ADMIN_API_KEY (undefined) no key is accepted
 * and staff sessions are the only way in.
 */
export const adminAuthPlugin: Plugin<{ apiKey: string | undefined }> = {
    name: 'app-admin-auth',
    register(server, { apiKey }) {
        const expected = apiKey === undefined ? undefined : digest(apiKey);
        server.auth.scheme('admin-key', () => ({
            authenticate(request, h) {
                const header: unknown = request.headers.authorization;
                if (typeof header !== 'string') {
                    throw Boom.unauthorized(null, 'Bearer');
                }
                const [scheme, key] = header.split(' ');
                if (scheme?.toLowerCase() !== 'bearer' || !key || expected === undefined || !timingSafeEqual(digest(key), expected)) {
                    throw Boom.unauthorized(expected === undefined ? 'No merchant API key is set on this server (ADMIN_API_KEY): sign in as staff' : 'Invalid merchant API key', 'Bearer');
                }
                return h.authenticated({ credentials: { merchant: true, scope: [...ALL_SCOPES] } });
            },
        }));
        server.auth.strategy(ADMIN_STRATEGY, 'admin-key');
    },
};
