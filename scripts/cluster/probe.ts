import type { GaleraCluster } from '../../test-cluster/support/cluster';
import { createDatabase, suiteCluster } from '../../test-cluster/support/suite';
import { certificationConflicts, lockThenInsert } from './probes/conflicts';
import { namedAndTableLocks } from './probes/locks';
import { nodeKill, notPrimary, proxyNodeKill } from './probes/node-faults';
import { staleReads } from './probes/stale-reads';

// Measured facts about MariaDB Galera for the app's error table and docs (docs/galera-facts.md):
// stale reads, certification conflicts, node-local locks, node deaths with and without HAProxy,
// a node cut off or joining. Prints a report; asserts nothing.
//
//   npm run cluster:probe               (a cluster of its own, stopped afterwards)
//   TEST_CLUSTER_DIR=data/cluster npm run cluster:probe   (a cluster started with `npm run cluster -- start`)
//   STALE_READS=1000 npm run cluster:probe                 (more reads for (a); default 300)
//   npm run cluster:probe -- locks node-kill                (only these probes)

const probes: ReadonlyArray<readonly [string, (cluster: GaleraCluster, database: string) => Promise<string>]> = [
    ['stale-reads', (cluster, database) => staleReads(cluster, database, Number(process.env.STALE_READS ?? 300))],
    ['conflicts', certificationConflicts],
    ['lock-then-insert', lockThenInsert],
    ['locks', namedAndTableLocks],
    ['node-kill', nodeKill],
    ['proxy-kill', proxyNodeKill],
    ['not-primary', notPrimary],
];

async function main(only: readonly string[]): Promise<void> {
    const unknown = only.filter((name) => !probes.some(([known]) => known === name));
    if (unknown.length > 0) {
        throw new Error(`unknown probe ${unknown.join(', ')}; the probes: ${probes.map(([name]) => name).join(', ')}`);
    }
    const started = performance.now();
    const { cluster, release } = await suiteCluster();
    console.log(`# Galera probe (cluster ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    try {
        const database = await createDatabase(cluster, 'probe');
        for (const [name, probe] of probes) {
            if (only.length === 0 || only.includes(name)) {
                console.log(await probe(cluster, database));
            }
        }
    }
    finally {
        await release();
    }
    console.log(`\n(probe took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main(process.argv.slice(2)).then(() => process.exit(0), (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
});
