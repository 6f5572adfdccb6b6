import type { Plugin, ServerRoute } from '@hapi/hapi';

import { assertOptions, type SimulatorOptions } from './options';
import { busyDayRoutes } from './routes/busy-day';
import { cashierRoutes } from './routes/cashier';
import { clientPayRoutes } from './routes/client-pay';
import { faultRoutes } from './routes/faults';
import { loginRoutes } from './routes/login';
import { notificationRoutes } from './routes/notifications';
import { payRoutes } from './routes/pay';
import { refundRoutes } from './routes/refunds';
import { shippingRoutes } from './routes/shipping';
import { userInfoRoutes } from './routes/userinfo';
import { createSimulator, type Simulator } from './simulator';
import { createTlsListener } from './tls-listener';

export type { SimulatorOptions } from './options';

/**
 * A local WeChat: the login server (/sns/jscode2session), WeChat Pay API v2 (/pay/*,
 * /secapi/pay/refund), the mini-program's stable_token and upload_shipping_info, and under
 * /simulator/* what the user and the tests do (pay, get user info, read notifications, refund
 * by hand, tamper with bills or fill them with a busy day's payments, inject faults). With
 * `tls` the same routes also listen over HTTPS, started and stopped with the server. Stopping
 * cancels every pending retry and held reply.
 */
export const simulatorPlugin: Plugin<SimulatorOptions> = {
    name: 'wechat-simulator',
    register(server, options) {
        const checked = assertOptions(options);
        const simulator = createSimulator(checked);
        const listener = checked.tls === undefined ? undefined : createTlsListener(checked.tls, routesOf(simulator));
        server.ext('onPreStop', async () => {
            simulator.stop();
            await listener?.stop();
        });
        if (listener !== undefined) {
            server.ext('onPostStart', () => listener.start());
        }
        server.route(routesOf(simulator));
    },
};

/** A fresh set per listener, so no route object is shared between two servers. */
function routesOf(simulator: Simulator): ServerRoute[] {
    return [
        ...loginRoutes(simulator),
        ...userInfoRoutes(simulator),
        ...payRoutes(simulator),
        ...clientPayRoutes(simulator),
        ...cashierRoutes(simulator),
        ...notificationRoutes(simulator),
        ...refundRoutes(simulator),
        ...busyDayRoutes(simulator),
        ...shippingRoutes(simulator),
        ...faultRoutes(simulator),
    ];
}
