import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import mysql from 'mysql2/promise';

import { GaleraCluster } from './cluster';

/**
 * The cluster a test file runs on: the one `npm run test:cluster` started for the whole suite
 * (TEST_CLUSTER_DIR), or, for a file run alone, one of its own in a temporary directory that
 * `release()` stops and removes. Every file leaves the cluster as it found it: three nodes
 * Synced, HAProxy on node1.
 */
export async function suiteCluster(): Promise<{ cluster: GaleraCluster; release(): Promise<void> }> {
    const shared = process.env.TEST_CLUSTER_DIR;
    if (shared) {
        return { cluster: GaleraCluster.attach(shared), release: async () => {} };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxshop-cluster-'));
    const cluster = await GaleraCluster.start(dir);
    return {
        cluster,
        release: async () => {
            await cluster.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** A test file's cluster (see `suiteCluster`), got before its tests and released after them; call it inside a test. */
export function useCluster(): () => GaleraCluster {
    let suite: Awaited<ReturnType<typeof suiteCluster>> | undefined;
    before(async () => {
        suite = await suiteCluster();
    });
    after(async () => {
        await suite?.release();
    });
    return () => {
        if (suite === undefined) {
            throw new Error('the cluster is there only inside a test');
        }
        return suite.cluster;
    };
}

/** A connection to `url` that the test closes (or destroys, when the server died under it). */
export function connect(url: string): Promise<mysql.Connection> {
    return mysql.createConnection({ uri: url, connectTimeout: 5000 });
}

/** The Galera node a connection is on (through HAProxy, the node the proxy chose). */
export async function nodeNameOf(connection: mysql.Connection): Promise<string> {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT @@wsrep_node_name AS name');
    return String(rows[0]!.name);
}

/**
 * A database of its own for one test file, created on node1 and present on every running node
 * when this returns: the CREATE replicates asynchronously, so a connection to another node made
 * at once could still fail with errno 1049 "Unknown database".
 */
export async function createDatabase(cluster: GaleraCluster, prefix: string): Promise<string> {
    const name = `${prefix}_${process.pid}_${Date.now()}`;
    const creator = await connect(cluster.node(1).url());
    try {
        await creator.query(`CREATE DATABASE ${name}`);
    }
    finally {
        await creator.end();
    }
    for (const node of cluster.nodes.filter((candidate) => candidate.pid !== undefined)) {
        const connection = await connect(node.url());
        try {
            await connection.query('SET SESSION wsrep_sync_wait = 1');
            await connection.query('SHOW CREATE DATABASE ??', [name]);
        }
        finally {
            await connection.end();
        }
    }
    return name;
}
