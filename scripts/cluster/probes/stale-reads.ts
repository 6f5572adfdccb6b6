import type { Connection, RowDataPacket } from 'mysql2/promise';

import type { GaleraCluster } from '../../../test-cluster/support/cluster';
import { open, section, summarize, summaryLine } from './measure';

/**
 * (a) A row updated and committed on node1, then read at once on node2: how many reads return
 * the value from before the update with Galera's default wsrep_sync_wait=0, and with
 * `SET SESSION wsrep_sync_wait = 1` (a read waits until the node has applied every writeset the
 * cluster had committed when the read began), and what each read costs, right after a write and
 * on a quiet cluster. Two reader sessions on node2, one per setting, take turns, so both see
 * the same load.
 */
export async function staleReads(cluster: GaleraCluster, database: string, reads: number): Promise<string> {
    const writer = (await open(cluster.node(1).url(database))).connection;
    const readers = await Promise.all([0, 1].map(async (syncWait) => {
        const { connection } = await open(cluster.node(2).url(database));
        await connection.query('SET SESSION wsrep_sync_wait = ?', [syncWait]);
        return { syncWait, connection, stale: 0, afterWrite: [] as number[], quiet: [] as number[] };
    }));
    try {
        await writer.query('CREATE TABLE stale_probe (id INT PRIMARY KEY, v INT NOT NULL)');
        await writer.query('INSERT INTO stale_probe VALUES (1, 0)');
        await readers[1]!.connection.query('SELECT v FROM stale_probe');
        for (let version = 1; version <= reads * 2; version += 1) {
            const reader = readers[version % 2]!;
            await writer.query('UPDATE stale_probe SET v = ? WHERE id = 1', [version]);
            const { v, ms } = await timedRead(reader.connection);
            reader.afterWrite.push(ms);
            if (v !== version) {
                reader.stale += 1;
            }
        }
        for (let read = 0; read < reads * 2; read += 1) {
            const reader = readers[read % 2]!;
            reader.quiet.push((await timedRead(reader.connection)).ms);
        }
    }
    finally {
        await writer.end();
        await Promise.all(readers.map(({ connection }) => connection.end()));
    }
    return section(`(a) stale reads: UPDATE on node1, then one SELECT on node2, ${reads} times per setting`, readers.flatMap((reader) => [
        `wsrep_sync_wait=${reader.syncWait}: ${reader.stale} of ${reads} reads on node2 right after a commit on node1 were stale`,
        `  read latency right after a write: ${summaryLine(summarize(reader.afterWrite))}`,
        `  read latency on a quiet cluster:  ${summaryLine(summarize(reader.quiet))}`,
    ]));
}

async function timedRead(connection: Connection): Promise<{ v: number; ms: number }> {
    const started = performance.now();
    const [rows] = await connection.query<RowDataPacket[]>('SELECT v FROM stale_probe WHERE id = 1');
    return { v: Number(rows[0]!.v), ms: performance.now() - started };
}
