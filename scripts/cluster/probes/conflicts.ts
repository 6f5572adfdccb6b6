import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';

import type { GaleraCluster } from '../../../test-cluster/support/cluster';
import { outcome, outcomeLine, section, step, twoSessions } from './measure';

// Two transactions on two nodes touching one row: Galera's optimistic replication lets both run
// and decides at commit (certification), or kills the local one when the other's writeset
// arrives first (a brute-force abort). Locks taken on one node are unknown to the others.

/** (b) Both nodes update one row in a transaction: which error the loser gets, and at which statement. */
export async function certificationConflicts(cluster: GaleraCluster, database: string): Promise<string> {
    const lines: string[] = [];
    await twoSessions(cluster, database, async (a, b) => {
        await a.query('CREATE TABLE conflict_probe (id INT PRIMARY KEY, v INT NOT NULL)');
        await a.query('INSERT INTO conflict_probe VALUES (1, 0), (2, 0)');

        const bothUpdateThenNode1Commits = async () => {
            await step(lines, '  A@node1', a, 'BEGIN');
            await step(lines, '  A@node1', a, 'UPDATE conflict_probe SET v = v + 1 WHERE id = 1');
            await step(lines, '  B@node2', b, 'BEGIN');
            await step(lines, '  B@node2', b, 'UPDATE conflict_probe SET v = v + 10 WHERE id = 1');
            await step(lines, '  A@node1', a, 'COMMIT');
            await sleep(200);
        };

        lines.push('1. node1 commits first; node2 then sends COMMIT:');
        await bothUpdateThenNode1Commits();
        await step(lines, '  B@node2', b, 'COMMIT');
        await step(lines, '  B@node2', b, 'SELECT v FROM conflict_probe WHERE id = 1');

        lines.push('2. node1 commits first; node2 then runs another statement before COMMIT:');
        await bothUpdateThenNode1Commits();
        await step(lines, '  B@node2', b, 'UPDATE conflict_probe SET v = v + 10 WHERE id = 2');
        await step(lines, '  B@node2', b, 'COMMIT');

        lines.push('3. both send COMMIT at the same moment (20 rounds):');
        const tally = new Map<string, number>();
        for (let round = 0; round < 20; round += 1) {
            await a.query('BEGIN');
            await a.query('UPDATE conflict_probe SET v = v + 1 WHERE id = 1');
            await b.query('BEGIN');
            await b.query('UPDATE conflict_probe SET v = v + 10 WHERE id = 1');
            const [first, second] = await Promise.all([outcome(() => a.query('COMMIT')), outcome(() => b.query('COMMIT'))]);
            const key = `node1 ${first.ok ? 'committed' : outcomeLine(first).replace(/ \(after.*$/, '')}; node2 ${second.ok ? 'committed' : outcomeLine(second).replace(/ \(after.*$/, '')}`;
            tally.set(key, (tally.get(key) ?? 0) + 1);
        }
        for (const [key, count] of tally) {
            lines.push(`  ${count}×  ${key}`);
        }
    });
    return section('(b) certification conflict: one row updated in a transaction on node1 and on node2', lines);
}

/**
 * (c) Both nodes lock the order row (`SELECT … FOR UPDATE`), check the refunds, insert a refund
 * of their own: nothing both write is shared, so both commit. Then the same with a conditional
 * UPDATE of the order row that both must write: certification lets one commit.
 */
export async function lockThenInsert(cluster: GaleraCluster, database: string): Promise<string> {
    const lines: string[] = [];
    await twoSessions(cluster, database, async (a, b) => {
        await a.query('CREATE TABLE lock_orders (id INT PRIMARY KEY, paid INT NOT NULL, refunded INT NOT NULL)');
        await a.query('CREATE TABLE lock_refunds (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT NOT NULL, amount INT NOT NULL)');
        await a.query('INSERT INTO lock_orders VALUES (1, 100, 0), (2, 100, 0)');

        lines.push('1. SELECT … FOR UPDATE, then INSERT a refund of 60 on each node:');
        for (const [session, connection] of [['  A@node1', a], ['  B@node2', b]] as const) {
            await step(lines, session, connection, 'BEGIN');
            const [rows] = await connection.query<RowDataPacket[]>('SELECT paid, (SELECT COALESCE(SUM(amount), 0) FROM lock_refunds WHERE order_id = 1) AS refunded FROM lock_orders WHERE id = 1 FOR UPDATE');
            lines.push(`${session}: SELECT … FOR UPDATE → ok, paid ${rows[0]!.paid}, refunded ${rows[0]!.refunded}`);
            await step(lines, session, connection, 'INSERT INTO lock_refunds (order_id, amount) VALUES (1, 60)');
        }
        await step(lines, '  A@node1', a, 'COMMIT');
        await step(lines, '  B@node2', b, 'COMMIT');
        const [sum] = await b.query<RowDataPacket[]>('SELECT SUM(amount) AS refunded FROM lock_refunds WHERE order_id = 1');
        lines.push(`  refunded for the order paid 100: ${sum[0]!.refunded}`);

        lines.push('2. the same, each also writing the order row: UPDATE … SET refunded = refunded + 60 WHERE refunded + 60 <= paid:');
        const conditional = 'UPDATE lock_orders SET refunded = refunded + 60 WHERE id = 2 AND refunded + 60 <= paid';
        for (const [session, connection] of [['  A@node1', a], ['  B@node2', b]] as const) {
            await step(lines, session, connection, 'BEGIN');
            const [result] = await connection.query<ResultSetHeader>(conditional);
            lines.push(`${session}: ${conditional} → ${result.affectedRows} row changed`);
            await step(lines, session, connection, 'INSERT INTO lock_refunds (order_id, amount) VALUES (2, 60)');
        }
        await step(lines, '  A@node1', a, 'COMMIT');
        await step(lines, '  B@node2', b, 'COMMIT');
        const [retry] = await b.query<ResultSetHeader>(conditional);
        lines.push(`  B@node2 retried in a new transaction: ${retry.affectedRows} row changed (the loser sees the winner's write)`);
        const [rows] = await b.query<RowDataPacket[]>('SELECT refunded, (SELECT COALESCE(SUM(amount), 0) FROM lock_refunds WHERE order_id = 2) AS rows_sum FROM lock_orders WHERE id = 2');
        lines.push(`  order paid 100: refunded ${rows[0]!.refunded}, refund rows sum ${rows[0]!.rows_sum}`);
    });
    return section('(c) SELECT … FOR UPDATE on two nodes, then INSERT of different rows', lines);
}
