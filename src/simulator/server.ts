import Hapi, { type Server } from '@hapi/hapi';

import { simulatorPlugin, type SimulatorOptions } from './plugin';

export interface SimulatorServerOptions extends SimulatorOptions {
    readonly host: string;
    readonly port: number;
}

/** The simulator on a server of its own, routes at the root. Initialised by register, not started. */
export async function createSimulatorServer({ host, port, ...options }: SimulatorServerOptions): Promise<Server> {
    const server = Hapi.server({ host, port });
    await server.register({ plugin: simulatorPlugin, options });
    return server;
}
