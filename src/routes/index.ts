import type { Plugin } from '@hapi/hapi';

import { healthRoutes } from './health';
import { orderRoutes } from './orders';
import { payNotifyRoutes } from './pay-notify';
import { rootRoutes } from './root';
import { shopRoutes } from './shops';
import { userRoutes } from './users';

export const routesPlugin: Plugin<{ devLogin: boolean; notifyMaxBytes: number }> = {
    name: 'app-routes',
    register(server, { devLogin, notifyMaxBytes }) {
        server.route([...rootRoutes, ...healthRoutes, ...shopRoutes, ...userRoutes({ devLogin }), ...orderRoutes, ...payNotifyRoutes({ maxBytes: notifyMaxBytes })]);
    },
};
