import Hapi from '@hapi/hapi';

// The baseline: bare hapi 21 answering GET / with {hello:'world'}, in a process of its own.
// Every route's figure is read as a ratio to this one, measured in the same round.

async function main(): Promise<void> {
    const server = Hapi.server({ host: '127.0.0.1', port: Number(process.argv[2]) });
    server.route({ method: 'GET', path: '/', handler: () => ({ hello: 'world' }) });
    await server.start();
    process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();
