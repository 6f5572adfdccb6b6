import type { Plugin, RouteOptions, ServerRoute } from '@hapi/hapi';

import { answersWechat } from '../plugins/errors';

import { adminRoutes } from './admin';
import { healthRoutes } from './health';
import { orderRoutes } from './orders';
import { payNotifyRoutes } from './pay-notify';
import { refundNotifyRoutes } from './refund-notify';
import { refundRequestRoutes } from './refund-requests';
import { rootRoutes } from './root';
import { shopRoutes } from './shops';
import { userRoutes } from './users';

/** WeChat gives up on a notification after 5 s: answer FAIL (500, XML) before then, so it delivers again. */
function wechatCallback(route: ServerRoute, timeoutMs: number): ServerRoute {
    const options = route.options as RouteOptions;
    return { ...route, options: { ...options, timeout: { server: timeoutMs }, plugins: { ...options.plugins, ...answersWechat } } };
}

export const routesPlugin: Plugin<{ devLogin: boolean; notifyMaxBytes: number; notifyRouteTimeoutMs: number }> = {
    name: 'app-routes',
    register(server, { devLogin, notifyMaxBytes, notifyRouteTimeoutMs }) {
        server.route([
            ...rootRoutes, ...healthRoutes, ...shopRoutes, ...userRoutes({ devLogin }), ...orderRoutes,
            ...refundRequestRoutes,
            ...[...payNotifyRoutes({ maxBytes: notifyMaxBytes }), ...refundNotifyRoutes({ maxBytes: notifyMaxBytes })].map((route) => wechatCallback(route, notifyRouteTimeoutMs)),
        ]);
        // The merchant API: ADMIN_API_KEY for machines (when set), staff sessions within their role.
        server.route(adminRoutes);
    },
};
