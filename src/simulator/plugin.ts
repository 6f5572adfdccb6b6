import type { Plugin } from '@hapi/hapi';

import { assertOptions, type SimulatorOptions } from './options';
import { cashierRoutes } from './routes/cashier';
import { clientPayRoutes } from './routes/client-pay';
import { faultRoutes } from './routes/faults';
import { loginRoutes } from './routes/login';
import { notificationRoutes } from './routes/notifications';
import { payRoutes } from './routes/pay';
import { userInfoRoutes } from './routes/userinfo';
import { createSimulator } from './simulator';

export type { SimulatorOptions } from './options';

/**
 * A local WeChat: the login server (/sns/jscode2session), WeChat Pay API v2 (/pay/*), and
 * under /simulator/* what the user and the tests do (pay, get user info, read notifications,
 * inject faults). Stopping the server cancels every pending retry and held reply.
 */
export const simulatorPlugin: Plugin<SimulatorOptions> = {
    name: 'wechat-simulator',
    register(server, options) {
        const simulator = createSimulator(assertOptions(options));
        server.ext('onPreStop', () => simulator.stop());
        server.route([
            ...loginRoutes(simulator),
            ...userInfoRoutes(simulator),
            ...payRoutes(simulator),
            ...clientPayRoutes(simulator),
            ...cashierRoutes(simulator),
            ...notificationRoutes(simulator),
            ...faultRoutes(simulator),
        ]);
    },
};
