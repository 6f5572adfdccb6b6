import type { Plugin } from '@hapi/hapi';
import Inert from '@hapi/inert';
import Vision from '@hapi/vision';
import HapiSwagger from 'hapi-swagger';

import { version } from '../../package.json';
import type { ObservabilityConfig } from '../config';
import { nonceStr } from '../wechat/nonce';
import { swaggerPage, swaggerPagePolicy } from './swagger-page';

const TITLE = 'WeChat mini-program shop API';
const SPEC_PATH = '/swagger.json';
const ASSETS_PATH = '/swaggerui/';

/** Every tag a route uses, in the order Swagger UI shows them; a test checks each has a description. */
const TAGS = [
    { name: 'shops', description: 'Shops and their goods, with prices in integer fen. No token needed.' },
    { name: 'users', description: 'Sign-in: exchange the code from wx.login for a token to send as "Authorization: Bearer …".' },
    { name: 'orders', description: "The caller's own orders. Totals are computed from the goods table, never taken from the request." },
    { name: 'payments', description: 'WeChat Pay (API v2, JSAPI): start a payment for wx.requestPayment, close an order, and the notification WeChat sends.' },
    { name: 'health', description: 'Liveness and token checks for load balancers and developers.' },
    { name: 'admin', description: "The merchant API for the shop's staff and back office: Authorization: Bearer <ADMIN_API_KEY> for machines (every scope), or a staff session within its role (a shopper's token never works here)." },
    { name: 'staff', description: 'Staff sign-in and sessions (a sealed HttpOnly cookie; every write also sends the crumb in X-CSRF-Token), staff accounts and the audit trail.' },
];

/**
 * /swagger.json and the Swagger UI page at /documentation, only when docs are enabled. The
 * spec's host and scheme come from PUBLIC_URL: hapi-swagger would otherwise copy them from
 * the request's Host / X-Forwarded-Host, which any client can set.
 */
export const swaggerPlugin: Plugin<Pick<ObservabilityConfig, 'docsEnabled' | 'publicUrl'>> = {
    name: 'app-swagger',
    async register(server, { docsEnabled, publicUrl }) {
        if (!docsEnabled) {
            return;
        }
        await server.register([
            Inert,
            Vision,
            {
                plugin: HapiSwagger,
                options: {
                    info: {
                        title: TITLE,
                        version,
                        description: 'Shops, goods, wx.login, orders and WeChat Pay. Amounts are integer fen. '
                            + 'Get a token from POST /users/wxLogin (or POST /users/createJWT in development), '
                            + 'then press Authorize and enter the word Bearer, a space, and the token. '
                            + 'Every error answers { statusCode, error, message }; the message names the offending field.',
                    },
                    host: publicUrl.host,
                    schemes: [publicUrl.scheme],
                    jsonPath: SPEC_PATH,
                    swaggerUIPath: ASSETS_PATH,
                    documentationPage: false,
                    grouping: 'tags',
                    tags: TAGS,
                    sortEndpoints: 'ordered',
                    securityDefinitions: {
                        jwt: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer, a space, and the token from /users/wxLogin' },
                        admin: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer, a space, and ADMIN_API_KEY (the merchant API only)' },
                        staffSession: {
                            type: 'apiKey', name: 'X-CSRF-Token', in: 'header',
                            description: 'A staff session: sign in with POST /admin/session (the sealed cookie follows); writes also send the crumb from GET /admin/session in X-CSRF-Token',
                        },
                    },
                },
            },
        ]);
        server.route({
            method: 'GET',
            path: '/documentation',
            options: { auth: false },
            handler: (_request, h) => {
                const scriptNonce = nonceStr();
                return h.response(swaggerPage({ title: TITLE, specPath: SPEC_PATH, assetsPath: ASSETS_PATH, scriptNonce }))
                    .type('text/html')
                    .header('Content-Security-Policy', swaggerPagePolicy(scriptNonce));
            },
        });
    },
};
