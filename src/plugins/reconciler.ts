import type { Plugin } from '@hapi/hapi';

import type { Reconciler } from '../services/reconciler';

/** Runs the reconciler while the server listens; stops it (and waits for a run) before the database closes. */
export const reconcilerPlugin: Plugin<{ reconciler: Reconciler }> = {
    name: 'app-reconciler',
    register(server, { reconciler }) {
        server.ext('onPostStart', () => reconciler.start());
        server.ext('onPreStop', () => reconciler.stop());
    },
};
