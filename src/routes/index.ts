import type { Plugin } from '@hapi/hapi';

import { healthRoutes } from './health';
import { orderRoutes } from './orders';
import { payNotifyRoutes } from './pay-notify';
import { rootRoutes } from './root';
import { shopRoutes } from './shops';
import { userRoutes } from './users';

export const routesPlugin: Plugin<{ devLogin: boolean }> = {
    name: 'app-routes',
    register(server, { devLogin }) {
        server.route([...rootRoutes, ...healthRoutes, ...shopRoutes, ...userRoutes({ devLogin }), ...orderRoutes, ...payNotifyRoutes]);
    },
};
