import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';

import { connect, createDatabase, nodeNameOf, useCluster } from './support/suite';

const clusterOf = useCluster();

test('the three nodes form one primary component, each Synced', async () => {
    const cluster = clusterOf();
    const { nodes } = await cluster.status();
    assert.deepEqual(nodes.map(({ name, state, clusterSize, component, ready }) => ({ name, state, clusterSize, component, ready })), [
        { name: 'node1', state: 'Synced', clusterSize: 3, component: 'Primary', ready: true },
        { name: 'node2', state: 'Synced', clusterSize: 3, component: 'Primary', ready: true },
        { name: 'node3', state: 'Synced', clusterSize: 3, component: 'Primary', ready: true },
    ]);
});

test('a row committed on node1 is read on node3 by a session that waits for causality', async () => {
    const cluster = clusterOf();
    const database = await createDatabase(cluster, 'forms');
    const writer = await connect(cluster.node(1).url(database));
    const reader = await connect(cluster.node(3).url(database));
    try {
        await writer.query('CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20))');
        await writer.query('INSERT INTO notes VALUES (1, \'written on node1\')');
        await reader.query('SET SESSION wsrep_sync_wait = 1');
        const [rows] = await reader.query('SELECT id, body FROM notes');
        assert.deepEqual(rows, [{ id: 1, body: 'written on node1' }]);
        assert.equal(await nodeNameOf(reader), 'node3');
    }
    finally {
        await writer.end();
        await reader.end();
    }
});

test('HAProxy sends connections to node1, the active node, and Redis answers on its own port', async () => {
    const cluster = clusterOf();
    const viaProxy = await connect(cluster.proxyUrl());
    const redis = new Redis(cluster.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
        assert.equal(await nodeNameOf(viaProxy), 'node1');
        assert.deepEqual((await cluster.proxyServers()).map(({ name, status, backup }) => ({ name, status, backup })), [
            { name: 'node1', status: 'UP', backup: false },
            { name: 'node2', status: 'UP', backup: true },
            { name: 'node3', status: 'UP', backup: true },
        ]);
        await redis.connect();
        assert.equal(await redis.ping(), 'PONG');
        assert.notEqual(new URL(cluster.redisUrl).port, '6379');
    }
    finally {
        await viaProxy.end();
        redis.disconnect();
    }
});
