import Boom from '@hapi/boom';
import type { Plugin, Request } from '@hapi/hapi';
import hapiAuthJwt2 from 'hapi-auth-jwt2';

import { expires, isTokenPayload, type TokenService } from '../services/token-service';
import type { UserService } from '../services/user-service';
import { describeTokenError, shapeUnauthorized, TOKEN_ERRORS } from './auth-errors';

declare module '@hapi/hapi' {
    interface UserCredentials {
        readonly id: number;
        readonly openId: string;
    }
}

/** The strategy the API's own routes name with `auth: 'jwt'`. */
export const JWT_STRATEGY = 'jwt';

export const authPlugin: Plugin<{ tokens: TokenService; users: UserService }> = {
    name: 'app-auth',
    async register(server, { tokens, users }) {
        await server.register(hapiAuthJwt2);
        server.auth.strategy(JWT_STRATEGY, 'jwt', {
            key: tokens.key,
            verifyOptions: { algorithms: ['HS256'] },
            // Tokens travel only in the Authorization header ("Bearer <t>" or the bare token):
            // a token in a URL ends up in proxies' logs.
            urlKey: false,
            cookieKey: false,
            errorFunc: describeTokenError,
            validate: async (decoded: unknown) => {
                if (!isTokenPayload(decoded)) {
                    return { isValid: false };
                }
                if (!expires(decoded)) {
                    return { isValid: false, errorMessage: TOKEN_ERRORS.noExpiry };
                }
                const user = await users.findCredentials(decoded.userId);
                return user ? { isValid: true, credentials: { user } } : { isValid: false };
            },
        });
        server.ext('onPreResponse', shapeUnauthorized);
    },
};

/** The signed-in caller's user id, on a route that names the JWT strategy. */
export function callerId(request: Request): number {
    const user = request.auth.credentials.user;
    if (!user) {
        throw Boom.unauthorized();
    }
    return user.id;
}
