import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { Connection } from 'mysql2/promise';

import { eventually } from '../test/helpers/wait';
import type { GaleraCluster } from './support/cluster';
import { connect, createDatabase, nodeNameOf, useCluster } from './support/suite';

const clusterOf = useCluster();
const opened: Connection[] = [];

afterEach(() => {
    // Destroyed, not ended: a connection left open through HAProxy would hold the file for 50 s.
    for (const connection of opened.splice(0)) {
        connection.destroy();
    }
});

async function open(url: string): Promise<Connection> {
    const connection = await connect(url);
    opened.push(connection);
    return connection;
}

/**
 * The connection is gone: a statement fails with mysql2's fatal error, "Connection lost: The
 * server closed the connection." (PROTOCOL_CONNECTION_LOST) when it was in flight, or "Can't add
 * new command when connection is in closed state" when the connection had been closed while idle.
 */
async function assertLost(connection: Connection): Promise<void> {
    await assert.rejects(connection.query('SELECT 1'), { fatal: true });
}

/** A new connection through HAProxy, if one can be made now, and the node it reached. */
async function nodeBehindProxy(cluster: GaleraCluster, database: string): Promise<{ node: string } | undefined> {
    try {
        const connection = await open(cluster.proxyUrl(database));
        return { node: await nodeNameOf(connection) };
    }
    catch {
        return undefined;
    }
}

test('HAProxy fails over to node2 when node1 dies, and back to node1 once it is Synced again', async () => {
    const cluster = clusterOf();
    const database = await createDatabase(cluster, 'failover');
    const onNode1 = await open(cluster.proxyUrl(database));
    await onNode1.query('CREATE TABLE pings (id INT AUTO_INCREMENT PRIMARY KEY, node VARCHAR(10))');
    assert.equal(await nodeNameOf(onNode1), 'node1');

    await cluster.node(1).kill();

    await assertLost(onNode1);
    await cluster.waitForProxy({ node1: false, node2: true });
    const onNode2 = await open(cluster.proxyUrl(database));
    assert.equal(await nodeNameOf(onNode2), 'node2');
    await onNode2.query('INSERT INTO pings (node) VALUES (\'node2\')');

    await cluster.node(1).start();
    await cluster.waitForProxy({ node1: true });

    const back = await eventually('a new connection on node1', async () => {
        const reached = await nodeBehindProxy(cluster, database);
        return reached?.node === 'node1' ? reached.node : undefined;
    }, 10_000, 100);
    assert.equal(back, 'node1');
    // Only one node takes writes through the proxy: node2's connections were closed when node1 came back.
    await assertLost(onNode2);
});

test('cutting HAProxy\'s sessions to a node loses the client\'s connection; the next one works', async () => {
    const cluster = clusterOf();
    const connection = await open(cluster.proxyUrl());
    assert.equal(await nodeNameOf(connection), 'node1');

    await cluster.cutProxySessions(1);

    await assertLost(connection);
    const next = await open(cluster.proxyUrl());
    assert.equal(await nodeNameOf(next), 'node1');
});
