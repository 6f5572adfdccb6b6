import type { Plugin } from '@hapi/hapi';

import type { Services } from '../services';

declare module '@hapi/hapi' {
    interface Request {
        /** The app's services, built once per server: the route's one way to the business rules. */
        services(): Services;
    }
    interface Server {
        /** The same services, for jobs, tools and tests. */
        services(): Services;
    }
}

/** Hands the services to routes as `request.services()` (as hapi pal's schmervice does), typed. */
export const servicesPlugin: Plugin<{ services: Services }> = {
    name: 'app-services',
    register(server, { services }) {
        server.decorate('server', 'services', () => services);
        server.decorate('request', 'services', () => services);
    },
};
