import type { RowDataPacket } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';

import type { GaleraCluster } from '../../../test-cluster/support/cluster';
import { section, step, twoSessions } from './measure';

/** What node1's replication applier is doing (its system user thread in the process list). */
async function applierState(cluster: GaleraCluster): Promise<string> {
    const connection = await cluster.node(1).connect();
    try {
        const [rows] = await connection.query<RowDataPacket[]>('SELECT STATE, INFO, TIME FROM information_schema.PROCESSLIST WHERE USER = \'system user\' AND INFO IS NOT NULL');
        const [queue] = await connection.query<RowDataPacket[]>('SHOW STATUS LIKE \'wsrep_local_recv_queue\'');
        const threads = rows.map((row) => `"${row.INFO}" ${row.STATE} for ${row.TIME} s`).join('; ') || 'idle';
        return `${threads}; wsrep_local_recv_queue ${queue[0]!.Value}`;
    }
    finally {
        await connection.end();
    }
}

/**
 * Ends the lock holder's session from another connection (KILL); if node1's applier is still
 * stuck after 5 s, node1 is killed and restarted, as an operator would have to.
 */
async function unwedge(cluster: GaleraCluster): Promise<string[]> {
    const admin = await cluster.node(1).connect();
    try {
        const [holders] = await admin.query<RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE \'UPDATE lock_probe%\' AND USER <> \'system user\'');
        for (const holder of holders) {
            await admin.query('KILL ?', [holder.ID]);
        }
    }
    finally {
        await admin.end();
    }
    await sleep(5000);
    const state = await applierState(cluster);
    if (state.startsWith('idle')) {
        return [`  after KILL of the lock holder's session: node1's applier ${state}`];
    }
    const restarted = performance.now();
    await cluster.node(1).kill();
    await cluster.node(1).start();
    return [
        `  5 s after KILL of the lock holder's session: node1's applier still ${state}`,
        `  node1 killed (SIGKILL) and restarted: Synced again after ${((performance.now() - restarted) / 1000).toFixed(1)} s`,
    ];
}

/** (f) Named locks and table locks, each taken on one node and tried from another. */
export async function namedAndTableLocks(cluster: GaleraCluster, database: string): Promise<string> {
    const lines: string[] = [];
    await twoSessions(cluster, database, async (a, b) => {
        await a.query('CREATE TABLE lock_probe (id INT PRIMARY KEY, v INT NOT NULL)');
        await a.query('INSERT INTO lock_probe VALUES (1, 0)');

        lines.push('GET_LOCK:');
        await step(lines, '  A@node1', a, 'SELECT GET_LOCK(\'probe\', 0) AS got');
        await step(lines, '  B@node2', b, 'SELECT GET_LOCK(\'probe\', 0) AS got');
        await step(lines, '  B@node2', b, 'SELECT IS_USED_LOCK(\'probe\') AS holder');
        await step(lines, '  A@node1', a, 'SELECT RELEASE_LOCK(\'probe\') AS released');
        await step(lines, '  B@node2', b, 'SELECT RELEASE_LOCK(\'probe\') AS released');

        lines.push('LOCK TABLES … WRITE on node1, a write from node2, UNLOCK TABLES:');
        await step(lines, '  A@node1', a, 'LOCK TABLES lock_probe WRITE');
        await step(lines, '  B@node2', b, 'UPDATE lock_probe SET v = v + 1 WHERE id = 1');
        await sleep(500);
        await step(lines, '  A@node1', a, 'SELECT v FROM lock_probe WHERE id = 1');
        lines.push(`  node1's applier meanwhile: ${await applierState(cluster)}`);
        await step(lines, '  A@node1', a, 'UNLOCK TABLES');
        await sleep(500);
        await step(lines, '  A@node1', a, 'SELECT v FROM lock_probe WHERE id = 1');

        lines.push('LOCK TABLES … WRITE on node1, a write from node2, then a write under the lock on node1:');
        await step(lines, '  A@node1', a, 'LOCK TABLES lock_probe WRITE');
        await step(lines, '  B@node2', b, 'UPDATE lock_probe SET v = v + 1 WHERE id = 1');
        await sleep(500);
        await step(lines, '  A@node1', a, 'UPDATE lock_probe SET v = v + 10 WHERE id = 1', 10_000);
        lines.push(`  node1's applier meanwhile: ${await applierState(cluster)}`);
        lines.push(...await unwedge(cluster));
    });
    return section('(f) GET_LOCK and LOCK TABLES across nodes', lines);
}
