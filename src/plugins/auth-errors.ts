import Boom from '@hapi/boom';
import type { Lifecycle } from '@hapi/hapi';
import type { ErrorContext } from 'hapi-auth-jwt2';

/** What a caller is told about a refused token. hapi-auth-jwt2's words are terse, and hapi's are wrong for a malformed one. */
export const TOKEN_ERRORS = {
    malformed: 'Malformed token: send "Authorization: Bearer" followed by the JWT from POST /users/wxLogin',
    expired: 'Expired token: sign in again with POST /users/wxLogin',
    badSignature: 'Invalid token: its signature does not verify (forged, altered, or signed with another key or algorithm)',
    unknown: 'Invalid token: not one of ours, or its user no longer exists',
    noExpiry: 'Invalid token: it does not say when it expires (no exp); sign in again with POST /users/wxLogin',
} as const;

/** The merchant API asked without a key or a staff session. */
export const MERCHANT_API_MISSING = 'Missing authentication: send Authorization: Bearer <ADMIN_API_KEY>, or sign in as staff (POST /admin/session)';

/** jsonwebtoken's verify errors that mean the signature is not ours. */
const SIGNATURE_FAILURES = new Set(['invalid signature', 'invalid algorithm', 'jwt signature is required']);

/** hapi-auth-jwt2's errorFunc: the same refusal, in words that say what was wrong. */
export function describeTokenError(context: ErrorContext): ErrorContext {
    const cause = (context as ErrorContext & { error?: unknown }).error;
    const causeMessage = cause instanceof Error ? cause.message : undefined;
    switch (context.message) {
        case 'Invalid token format':
            return { ...context, message: TOKEN_ERRORS.malformed };
        case 'Expired token':
            return { ...context, message: TOKEN_ERRORS.expired };
        case 'Invalid token':
            if (causeMessage === 'jwt malformed') {
                return { ...context, message: TOKEN_ERRORS.malformed };
            }
            return { ...context, message: causeMessage !== undefined && SIGNATURE_FAILURES.has(causeMessage) ? TOKEN_ERRORS.badSignature : `Invalid token: ${causeMessage ?? 'refused'}` };
        case 'Invalid credentials':
            return { ...context, message: TOKEN_ERRORS.unknown };
        default:
            return context;
    }
}

/**
 * onPreResponse for 401s: one body shape, `{ statusCode, error, message }` (Boom adds an
 * `attributes` copy of the WWW-Authenticate header, which stays); and a token that was sent
 * but could not be read is "malformed", not hapi's "Missing authentication".
 */
export const shapeUnauthorized: Lifecycle.Method = (request, h) => {
    const response = request.response;
    if (!Boom.isBoom(response) || response.output.statusCode !== 401) {
        return h.continue;
    }
    const payload = withoutAttributes(response).output.payload;
    if (payload.message === 'Missing authentication' && request.path.startsWith('/admin/')) {
        payload.message = MERCHANT_API_MISSING;
    }
    else if (payload.message === 'Missing authentication' && request.headers.authorization !== undefined) {
        payload.message = TOKEN_ERRORS.malformed;
    }
    return h.continue;
};

/** The token check's 401 for a token whose user is gone, for a route that finds so later (the user was cached). */
export function userGoneError(): Boom.Boom {
    return withoutAttributes(Boom.unauthorized(TOKEN_ERRORS.unknown, 'Bearer'));
}

function withoutAttributes(error: Boom.Boom): Boom.Boom {
    delete (error.output.payload as Boom.Payload & { attributes?: unknown }).attributes;
    return error;
}
