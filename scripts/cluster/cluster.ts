import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DEFAULT_CLUSTER_DIR, GaleraCluster } from '../../test-cluster/support/cluster';

// The local Galera cluster from the command line (see test-cluster/README.md):
//   npm run cluster -- start | stop | status
//   npm run cluster -- kill-node N | stop-node N | start-node N | cut-proxy N
//   npm run cluster -- run -- <command…>   (a new cluster in a temporary directory for the
//                                            command, which finds it through TEST_CLUSTER_DIR)
// --dir DIR picks the cluster's directory for the other commands (default data/cluster/).

const usage = 'usage: cluster.ts [--dir DIR] start|stop|status|kill-node N|stop-node N|start-node N|cut-proxy N|run -- COMMAND…';

async function main(argv: string[]): Promise<number> {
    let dir = DEFAULT_CLUSTER_DIR;
    if (argv[0] === '--dir' && argv[1] !== undefined) {
        dir = path.resolve(argv[1]);
        argv = argv.slice(2);
    }
    const [command, argument] = argv;
    const nodeIndex = () => {
        const index = Number(argument);
        if (!Number.isInteger(index)) {
            throw new Error(`${command} needs a node number\n${usage}`);
        }
        return index;
    };
    switch (command) {
        case 'start': {
            const started = Date.now();
            const cluster = await GaleraCluster.start(dir);
            console.log(`cluster formed in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
            printUrls(cluster);
            return 0;
        }
        case 'stop':
            await GaleraCluster.attach(dir).stop();
            return 0;
        case 'status': {
            const cluster = GaleraCluster.attach(dir);
            console.log(JSON.stringify(await cluster.status(), null, 2));
            printUrls(cluster);
            return 0;
        }
        case 'kill-node':
            await GaleraCluster.attach(dir).node(nodeIndex()).kill();
            return 0;
        case 'stop-node':
            await GaleraCluster.attach(dir).node(nodeIndex()).stop();
            return 0;
        case 'start-node': {
            const started = Date.now();
            const { position, transfer } = await GaleraCluster.attach(dir).node(nodeIndex()).start();
            console.log(`node${nodeIndex()} Synced in ${((Date.now() - started) / 1000).toFixed(1)} s from ${position} by ${transfer}`);
            return 0;
        }
        case 'cut-proxy':
            await GaleraCluster.attach(dir).cutProxySessions(nodeIndex());
            return 0;
        case 'run':
            return runWithCluster(argv.slice(argv[1] === '--' ? 2 : 1));
        default:
            console.error(usage);
            return 2;
    }
}

/**
 * A new cluster for one command, in a directory of its own (a cluster started by `start` is left
 * alone), stopped after it. The directory is removed when the command passed, and kept for its
 * logs when it failed.
 */
async function runWithCluster(commandLine: string[]): Promise<number> {
    if (commandLine.length === 0) {
        throw new Error(`run needs a command\n${usage}`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxshop-cluster-'));
    const started = Date.now();
    const cluster = await GaleraCluster.start(dir);
    console.log(`cluster formed in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
    let code = 1;
    try {
        const child = spawn(commandLine[0]!, commandLine.slice(1), { stdio: 'inherit', env: { ...process.env, TEST_CLUSTER_DIR: dir } });
        const forward = (signal: NodeJS.Signals) => child.kill(signal);
        process.on('SIGINT', forward).on('SIGTERM', forward);
        code = await new Promise<number>((resolve) => child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
        return code;
    }
    finally {
        await cluster.stop();
        if (code === 0) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        else {
            console.error(`the cluster's logs are kept in ${dir}`);
        }
    }
}

function printUrls(cluster: GaleraCluster): void {
    for (const node of cluster.nodes) {
        console.log(`${node.name}  ${node.url()}`);
    }
    console.log(`proxy  ${cluster.proxyUrl()}`);
    console.log(`redis  ${cluster.redisUrl}`);
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
    console.error(error.message);
    process.exit(1);
});
