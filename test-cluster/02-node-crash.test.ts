import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';

import { eventually } from '../test/helpers/wait';
import { connect, createDatabase, useCluster } from './support/suite';

const clusterOf = useCluster();

test('a node killed with SIGKILL is evicted, and once restarted it catches up by IST', async () => {
    const cluster = clusterOf();
    const database = await createDatabase(cluster, 'crash');
    const writer = await connect(cluster.node(1).url(database));
    try {
        await writer.query('CREATE TABLE events (id INT PRIMARY KEY)');
        await cluster.node(3).kill();
        await eventually('node3 evicted', async () => (await cluster.node(1).status()).clusterSize === 2 || undefined, 30_000, 200);
        for (let id = 1; id <= 20; id += 1) {
            await writer.query('INSERT INTO events VALUES (?)', [id]);
        }

        const { transfer } = await cluster.node(3).start();

        assert.equal(transfer, 'IST');
        const reader = await connect(cluster.node(3).url(database));
        try {
            const [rows] = await reader.query<RowDataPacket[]>('SELECT COUNT(*) AS missed FROM events');
            assert.equal(Number(rows[0]!.missed), 20);
        }
        finally {
            await reader.end();
        }
        assert.deepEqual((await cluster.status()).nodes.map((node) => [node.name, node.state, node.clusterSize]), [
            ['node1', 'Synced', 3], ['node2', 'Synced', 3], ['node3', 'Synced', 3],
        ]);
    }
    finally {
        await writer.end();
    }
});
