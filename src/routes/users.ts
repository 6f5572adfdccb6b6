import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { swaggerDocs } from './schemas';

const loginResultSchema = Joi.object({
    token: Joi.string().required().description('send as "Authorization: Bearer <token>"'),
    userId: Joi.number().integer().required(),
}).label('LoginResult');

const base64 = Joi.string().base64().max(8192);

export function userRoutes({ devLogin }: { devLogin: boolean }): ServerRoute[] {
    const routes: ServerRoute[] = [
        {
            method: 'POST',
            path: '/users/wxLogin',
            options: {
                auth: false,
                tags: ['api', 'users'],
                description: "Signs in with wx.login's code (and optionally getUserInfo's encryptedData and iv)",
                notes: 'The code is exchanged at WeChat (jscode2session). A code WeChat refuses → 401 with WeChat\'s message; '
                    + 'a profile not made for this mini-program → 400. The session_key is kept on the server, never returned. '
                    + '429 (with Retry-After): too many sign-ins from this address (RATE_LIMIT_LOGIN_PER_IP), or WeChat is limiting us.',
                validate: {
                    payload: Joi.object({
                        code: Joi.string().pattern(/^[A-Za-z0-9._-]{1,128}$/).required().description("wx.login's code"),
                        encryptedData: base64.description("getUserInfo's encryptedData"),
                        iv: base64.max(64).description("getUserInfo's iv"),
                        // getUserInfo returns these too; the profile is read only from encryptedData.
                        rawData: Joi.string().max(8192).description('accepted and ignored'),
                        signature: Joi.string().max(64).description('accepted and ignored'),
                    }).and('encryptedData', 'iv').label('WxLogin'),
                },
                plugins: { ...swaggerDocs({ errors: [400, 401, 429, 502, 503, 504] }), rateLimit: 'login' },
                response: { schema: loginResultSchema },
                handler: (request) => request.services().users.loginWithWechat(request.payload as { code: string; encryptedData?: string; iv?: string }),
            },
        },
    ];
    if (devLogin) {
        routes.push({
            method: 'POST',
            path: '/users/createJWT',
            options: {
                auth: false,
                tags: ['api', 'users'],
                description: "Development only: a token for the dev user (the tutorial's test token)",
                notes: 'Exists only when DEV_LOGIN is on; never in production.',
                response: { schema: loginResultSchema },
                handler: (request) => request.services().users.loginAsDevUser(),
            },
        });
    }
    return routes;
}
