import type { RowDataPacket } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';

import type { GaleraCluster } from '../../../test-cluster/support/cluster';
import { errorLine, observeConnects, open, outcome, outcomeLine, section, within, type ProbeConnection } from './measure';

// (d) and (e): what clients see when a node dies (SIGKILL), is cut off from the others, or joins.

const TICK = 'INSERT INTO fault_ticks (node) VALUES (@@wsrep_node_name)';

/**
 * A client running `sql` (by default: commit one row) every 20 ms through `url`, as an app
 * instance would: a statement that fails makes it reconnect. Remembers when each statement
 * started, how long it took, which node it landed on, and every error.
 */
class ClientLoop {
    readonly commits: Array<{ at: number; ms: number; node: string }> = [];
    readonly errors: Array<{ at: number; label: string }> = [];
    private stopped = false;
    private readonly running: Promise<void>;

    constructor(private readonly url: string, private readonly sql = TICK, private readonly sessionSetup?: string) {
        this.running = this.run();
    }

    async stop(): Promise<void> {
        this.stopped = true;
        await this.running;
    }

    /** The longest time between two completed statements after `from`: what a client waited for. */
    longestGap(from: number): { ms: number; at: number } {
        const done = this.commits.map((commit) => commit.at + commit.ms).filter((at) => at >= from - 1000);
        let longest = { ms: 0, at: 0 };
        for (let index = 1; index < done.length; index += 1) {
            const gap = done[index]! - done[index - 1]!;
            if (gap > longest.ms) {
                longest = { ms: gap, at: done[index - 1]! };
            }
        }
        return longest;
    }

    /** The first statement started after `from` (on `node`, if named) and when it completed. */
    firstCommitAfter(from: number, node?: string): number | undefined {
        const commit = this.commits.find((candidate) => candidate.at >= from && (node === undefined || candidate.node === node));
        return commit === undefined ? undefined : commit.at + commit.ms;
    }

    /** Distinct errors since `from`, with counts. */
    errorsSince(from: number): string[] {
        const counts = new Map<string, number>();
        for (const error of this.errors.filter((candidate) => candidate.at >= from)) {
            counts.set(error.label, (counts.get(error.label) ?? 0) + 1);
        }
        return [...counts].map(([label, count]) => `${count}× ${label}`);
    }

    private async run(): Promise<void> {
        let current: { probe: ProbeConnection; node: string } | undefined;
        while (!this.stopped) {
            const at = performance.now();
            if (current === undefined) {
                const connected = await outcome(async () => {
                    const probe = await open(this.url);
                    if (this.sessionSetup !== undefined) {
                        await probe.connection.query(this.sessionSetup);
                    }
                    const [rows] = await probe.connection.query<RowDataPacket[]>('SELECT @@wsrep_node_name AS node');
                    return { probe, node: String(rows[0]!.node) };
                });
                if (!connected.ok) {
                    this.errors.push({ at, label: `connect: ${errorLine(connected.error)}` });
                    await sleep(20);
                    continue;
                }
                current = connected.value;
            }
            const result = await outcome(() => within(30_000, current!.probe.connection.query(this.sql)));
            if (result.ok) {
                this.commits.push({ at, ms: result.ms, node: current.node });
            }
            else {
                this.errors.push({ at, label: `${current.node}: ${errorLine(result.error)}` });
                current.probe.connection.destroy();
                current = undefined;
            }
            await sleep(20);
        }
        current?.probe.connection.destroy();
    }
}

/** The table the write loops fill (each probe may run alone). */
async function createTicks(cluster: GaleraCluster, database: string): Promise<void> {
    const { connection } = await open(cluster.node(2).url(database));
    try {
        await connection.query('CREATE TABLE IF NOT EXISTS fault_ticks (id INT AUTO_INCREMENT PRIMARY KEY, node VARCHAR(10) NOT NULL)');
    }
    finally {
        await connection.end();
    }
}

/** Polls `node`'s wsrep_cluster_size until it is `size`; the time it was first seen so. */
async function whenClusterSize(cluster: GaleraCluster, node: number, size: number): Promise<number> {
    for (;;) {
        const status = await cluster.node(node).status();
        if (status.clusterSize === size) {
            return performance.now();
        }
        await sleep(50);
    }
}

function after(t0: number, at: number | undefined): string {
    return at === undefined ? 'never' : `${(at - t0).toFixed(0)} ms after the kill`;
}

/** A statement that is running when the node dies, and an idle connection's next statement. */
async function bystanders(url: string): Promise<{ inFlight: Promise<{ line: string; at: number }>; idle: ProbeConnection }> {
    const busy = await open(url);
    const idle = await open(url);
    const inFlight = outcome(() => busy.connection.query('SELECT SLEEP(30)')).then((result) => {
        busy.connection.destroy();
        return { line: outcomeLine(result), at: performance.now() };
    });
    await sleep(200);
    return { inFlight, idle };
}

async function inFlightLine(inFlight: Promise<{ line: string; at: number }>, killedAt: number): Promise<string> {
    const { line, at } = await inFlight;
    return `${line}, ${after(killedAt, at)}`;
}

async function idleOutcome(idle: ProbeConnection): Promise<string> {
    const next = await outcome(() => idle.connection.query('SELECT 1'));
    idle.connection.destroy();
    const emitted = idle.idleErrors.map(errorLine).join('; ') || 'none';
    return `emitted while idle: ${emitted}; next statement: ${outcomeLine(next)}`;
}

/** (d) node3 killed with SIGKILL: the stall on node1 and node2, and what node3's clients get. Then its restart by IST. */
export async function nodeKill(cluster: GaleraCluster, database: string): Promise<string> {
    await createTicks(cluster, database);
    const writers = [1, 2, 3].map((index) => new ClientLoop(cluster.node(index).url(database)));
    const read = 'SELECT COUNT(*) FROM fault_ticks';
    const readers = [0, 1].map((syncWait) => new ClientLoop(cluster.node(2).url(database), read, `SET SESSION wsrep_sync_wait = ${syncWait}`));
    const { inFlight, idle } = await bystanders(cluster.node(3).url(database));
    await sleep(1000);

    const killedAt = performance.now();
    await cluster.node(3).kill();
    const evictedAt = await whenClusterSize(cluster, 1, 2);
    await sleep(2000);
    await Promise.all([...writers, ...readers].map((loop) => loop.stop()));
    const lines = [
        `node3 evicted (wsrep_cluster_size 2 on node1) ${after(killedAt, evictedAt)}`,
        ...[1, 2].flatMap((index) => {
            const gap = writers[index - 1]!.longestGap(killedAt);
            return [`commits on node${index}: longest wait between two commits ${gap.ms.toFixed(0)} ms (from ${(gap.at - killedAt).toFixed(0)} ms after the kill)` +
                `; errors: ${writers[index - 1]!.errorsSince(killedAt).join(', ') || 'none'}`];
        }),
        ...readers.map((reader, syncWait) => {
            const gap = reader.longestGap(killedAt);
            return `reads on node2 with wsrep_sync_wait=${syncWait}: longest wait between two reads ${gap.ms.toFixed(0)} ms; errors: ${reader.errorsSince(killedAt).join(', ') || 'none'}`;
        }),
        `node3's writing client: ${writers[2]!.errorsSince(killedAt).join(', ')}`,
        `node3's client with a statement in flight (SELECT SLEEP(30)): ${await inFlightLine(inFlight, killedAt)}`,
        `node3's idle client: ${await idleOutcome(idle)}`,
    ];

    const restarting = cluster.node(3).start();
    const seen = await observeConnects(cluster.node(3).url(database), 'SELECT COUNT(*) FROM fault_ticks', restarting);
    const { transfer } = await restarting;
    lines.push(`node3 restarted (--wsrep-recover, then ${transfer}); a new connection every 50 ms meanwhile got:`, ...seen.map((line) => `  ${line}`));
    return section('(d) node3 killed with SIGKILL, clients on each node', lines);
}

/** (d) through HAProxy: node1, the active node, killed; the proxy's clients; then node1 back. */
export async function proxyNodeKill(cluster: GaleraCluster, database: string): Promise<string> {
    await createTicks(cluster, database);
    const writer = new ClientLoop(cluster.proxyUrl(database));
    const { inFlight, idle } = await bystanders(cluster.proxyUrl(database));
    await sleep(1000);

    const killedAt = performance.now();
    await cluster.node(1).kill();
    await cluster.waitForProxy({ node1: false });
    const downAt = performance.now();
    const evictedAt = await whenClusterSize(cluster, 2, 2);
    await sleep(1000);
    const lines = [
        `HAProxy marked node1 DOWN ${after(killedAt, downAt)}; node1 evicted (wsrep_cluster_size 2 on node2) ${after(killedAt, evictedAt)}`,
        `the proxy's writing client: first commit after the kill ${after(killedAt, writer.firstCommitAfter(killedAt))}` +
            ` (on ${writer.commits.find((commit) => commit.at >= killedAt)?.node ?? 'none'}); errors: ${writer.errorsSince(killedAt).join(', ') || 'none'}`,
        `the proxy's client with a statement in flight (SELECT SLEEP(30)): ${await inFlightLine(inFlight, killedAt)}`,
        `the proxy's idle client: ${await idleOutcome(idle)}`,
    ];

    const restartedAt = performance.now();
    await cluster.node(1).start();
    const syncedAt = performance.now();
    await cluster.waitForProxy({ node1: true });
    const upAt = performance.now();
    await sleep(1000);
    await writer.stop();
    lines.push(
        `node1 restarted: Synced ${((syncedAt - restartedAt) / 1000).toFixed(1)} s after its start, UP in HAProxy ${(upAt - syncedAt).toFixed(0)} ms later`,
        `the proxy's writing client on failback: errors ${writer.errorsSince(syncedAt).join(', ') || 'none'}; first commit on node1 ${(((writer.firstCommitAfter(syncedAt, 'node1') ?? Number.NaN) - syncedAt)).toFixed(0)} ms after node1 was Synced`,
    );
    return section('(d) node1 (the active node) killed with SIGKILL, clients through HAProxy', lines);
}

/** (e) node3 cut off (non-Primary), and node3 joining by SST: what its clients get. */
export async function notPrimary(cluster: GaleraCluster, database: string): Promise<string> {
    await createTicks(cluster, database);
    const lines: string[] = [];
    const old = await open(cluster.node(3).url(database));
    await cluster.node(3).isolate();
    lines.push('node3 isolated (gmcast.isolate=1) and evicted, non-Primary; on a connection opened before:');
    for (const sql of ['SELECT 1', 'SELECT COUNT(*) FROM fault_ticks', TICK, 'BEGIN', 'SET SESSION wsrep_sync_wait = 1', 'SHOW STATUS LIKE \'wsrep_ready\'']) {
        lines.push(`  ${sql} → ${outcomeLine(await outcome(() => old.connection.query(sql)))}`);
    }
    const fresh = await outcome(async () => {
        const { connection } = await open(cluster.node(3).url(database));
        try {
            return await connection.query('SELECT COUNT(*) FROM fault_ticks');
        }
        finally {
            connection.destroy();
        }
    });
    lines.push(`  a new connection, SELECT COUNT(*) FROM fault_ticks → ${outcomeLine(fresh)}`);
    const reconnectedAt = performance.now();
    await cluster.node(3).reconnect();
    lines.push(`node3 reconnected (gmcast.isolate=0): Synced ${(performance.now() - reconnectedAt).toFixed(0)} ms later; the old connection: ${outcomeLine(await outcome(() => old.connection.query('SELECT COUNT(*) FROM fault_ticks')))}`);
    old.connection.destroy();

    await cluster.node(3).stop();
    cluster.node(3).wipe();
    const joining = cluster.node(3).start();
    const seen = await observeConnects(cluster.node(3).url(database), 'SELECT COUNT(*) FROM fault_ticks', joining);
    const { transfer } = await joining;
    lines.push(`node3 stopped, its data wiped, started again (${transfer}); a new connection every 50 ms meanwhile got:`, ...seen.map((line) => `  ${line}`));
    return section('(e) a node that is not primary, and one joining', lines);
}
