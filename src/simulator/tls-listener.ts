import Hapi, { type Server, type ServerRoute } from '@hapi/hapi';

import type { SimulatorTls } from './options';

/**
 * The simulator's HTTPS face, serving the same routes as its HTTP one. It asks every client
 * for a certificate but lets the handshake through without one (`rejectUnauthorized: false`),
 * as WeChat does: only /secapi routes refuse, and with an HTML page, not a TLS alert.
 */
export function createTlsListener(tls: SimulatorTls, routes: ServerRoute[]): Server {
    const listener = Hapi.server({
        host: tls.host ?? '127.0.0.1',
        port: tls.port,
        tls: { ca: tls.ca, cert: tls.cert, key: tls.key, requestCert: true, rejectUnauthorized: false },
    });
    listener.route(routes);
    return listener;
}
