import type { Plugin } from '@hapi/hapi';

/**
 * Once the server has stopped listening, a request that still arrives on a kept-alive
 * connection is dropped before it runs. hapi has already ended that connection, so its reply
 * could never be sent: running it would change data (an order created) that the client never
 * hears of. The client sees a reset connection, like any request that never started, and may
 * retry. Requests already running when the stop began are untouched: hapi waits for them.
 */
export const stopGatePlugin: Plugin<void> = {
    name: 'app-stop-gate',
    register(server) {
        let stopping = false;
        server.ext('onPreStop', () => {
            stopping = true;
        });
        server.ext('onRequest', (request, h) => {
            // info.started turns 0 when hapi stops listening (and ends idle connections), after onPreStop.
            if (stopping && server.info.started === 0) {
                request.raw.req.socket?.destroy();
                return h.abandon;
            }
            return h.continue;
        });
    },
};
