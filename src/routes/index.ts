import type { Plugin, RouteOptions, ServerRoute } from '@hapi/hapi';

import { answersWechat } from '../plugins/errors';

import { adminOrderRoutes } from './admin/orders';
import { adminReconciliationRoutes } from './admin/reconciliations';
import { adminShipmentRoutes } from './admin/shipments';
import { adminRefundRoutes } from './admin/refunds';
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

export const routesPlugin: Plugin<{ devLogin: boolean; merchantApi: boolean; notifyMaxBytes: number; notifyRouteTimeoutMs: number }> = {
    name: 'app-routes',
    register(server, { devLogin, merchantApi, notifyMaxBytes, notifyRouteTimeoutMs }) {
        server.route([
            ...rootRoutes, ...healthRoutes, ...shopRoutes, ...userRoutes({ devLogin }), ...orderRoutes,
            ...refundRequestRoutes,
            ...[...payNotifyRoutes({ maxBytes: notifyMaxBytes }), ...refundNotifyRoutes({ maxBytes: notifyMaxBytes })].map((route) => wechatCallback(route, notifyRouteTimeoutMs)),
        ]);
        // The merchant API exists only with a key to guard it (ADMIN_API_KEY).
        if (merchantApi) {
            server.route([...adminOrderRoutes, ...adminRefundRoutes, ...adminReconciliationRoutes, ...adminShipmentRoutes]);
        }
    },
};
