import mysql from 'mysql2/promise';

import type { GaleraCluster } from '../../../test-cluster/support/cluster';

// What the probes share: connections that never crash the probe when the server drops them,
// errors described by the fields the app's error table matches on, outcomes, timings.

/** What mysql2 reports: errno and sqlState for a server's error, code alone for a client's. */
export interface ErrorFacts {
    readonly errno?: number;
    readonly code?: string;
    readonly sqlState?: string;
    readonly message: string;
    readonly fatal?: boolean;
}

export type Outcome<T> = { readonly ok: true; readonly value: T; readonly ms: number } | { readonly ok: false; readonly error: ErrorFacts; readonly ms: number };

export interface ProbeConnection {
    readonly connection: mysql.Connection;
    /** Errors the connection emitted while no statement was running (a server gone while idle). */
    readonly idleErrors: ErrorFacts[];
}

export async function open(url: string): Promise<ProbeConnection> {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
    const idleErrors: ErrorFacts[] = [];
    connection.on('error', (error: unknown) => idleErrors.push(describeError(error)));
    return { connection, idleErrors };
}

export function describeError(error: unknown): ErrorFacts {
    const { errno, code, sqlState, message, fatal } = error as { errno?: number; code?: string; sqlState?: string; message: string; fatal?: boolean };
    return {
        ...(typeof errno === 'number' ? { errno } : {}),
        ...(code !== undefined ? { code } : {}),
        ...(sqlState !== undefined ? { sqlState } : {}),
        message,
        ...(fatal ? { fatal } : {}),
    };
}

/** The error's fields as one line for the report. */
export function errorLine(error: ErrorFacts): string {
    const parts = [error.errno !== undefined ? `errno ${error.errno}` : undefined, error.code, error.sqlState !== undefined ? `SQLSTATE ${error.sqlState}` : undefined, error.fatal ? 'fatal' : undefined];
    return `${parts.filter(Boolean).join(' / ')}: "${error.message}"`;
}

/** Runs `work`, never throwing: its value or its error, and how long it took. */
export async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
    const started = performance.now();
    try {
        const value = await work();
        return { ok: true, value, ms: performance.now() - started };
    }
    catch (error) {
        return { ok: false, error: describeError(error), ms: performance.now() - started };
    }
}

export function outcomeLine(result: Outcome<unknown>): string {
    return result.ok ? `ok (${result.ms.toFixed(0)} ms)` : `${errorLine(result.error)} (after ${result.ms.toFixed(0)} ms)`;
}

/**
 * Session A on node1 and session B on node2, as two app instances on two nodes; B reads with
 * wsrep_sync_wait=1, so it sees what A committed before (the tables A made, to begin with).
 */
export async function twoSessions(cluster: GaleraCluster, database: string, work: (a: mysql.Connection, b: mysql.Connection) => Promise<void>): Promise<void> {
    const a = (await open(cluster.node(1).url(database))).connection;
    const b = (await open(cluster.node(2).url(database))).connection;
    try {
        await b.query('SET SESSION wsrep_sync_wait = 1');
        await work(a, b);
    }
    finally {
        // Destroyed: a session may still hang in a statement the probe gave up on.
        a.destroy();
        b.destroy();
    }
}

/** Runs `sql` (giving up after `timeoutMs`) and adds to `lines` its outcome and the rows it read. */
export async function step(lines: string[], session: string, connection: mysql.Connection, sql: string, timeoutMs = 5000): Promise<Outcome<unknown>> {
    const result = await outcome(() => within(timeoutMs, connection.query(sql)));
    const rows = result.ok && Array.isArray((result.value as unknown[])[0]) ? ` ${JSON.stringify((result.value as unknown[])[0])}` : '';
    lines.push(`${session}: ${sql} → ${outcomeLine(result)}${rows}`);
    return result;
}

/** `work`, or a timeout error once `ms` have passed (the work itself goes on in the background). */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`still waiting after ${ms} ms`), { code: 'PROBE_TIMEOUT' })), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface Summary {
    readonly count: number;
    readonly mean: number;
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
    return { count: sorted.length, mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN };
}

export function summaryLine(summary: Summary): string {
    return `mean ${summary.mean.toFixed(2)} ms, p50 ${summary.p50.toFixed(2)}, p95 ${summary.p95.toFixed(2)}, max ${summary.max.toFixed(2)} (${summary.count})`;
}

/** A report section: a title, then indented lines. */
export function section(title: string, lines: readonly string[]): string {
    return [`\n## ${title}`, ...lines.map((line) => `  ${line}`)].join('\n');
}

/**
 * Connects to `url` and runs `sql` again and again (a new connection each time, `everyMs` apart)
 * until `until` settles, and returns what happened as runs of equal outcomes:
 * "0–1234 ms: connect ECONNREFUSED (12×)".
 */
export async function observeConnects(url: string, sql: string, until: Promise<unknown>, everyMs = 50): Promise<string[]> {
    const started = performance.now();
    let settled = false;
    void until.finally(() => {
        settled = true;
    }).catch(() => {});
    const runs: Array<{ label: string; from: number; to: number; count: number }> = [];
    while (!settled) {
        const at = performance.now() - started;
        const result = await outcome(async () => {
            const { connection } = await open(url);
            try {
                await connection.query(sql);
            }
            finally {
                connection.destroy();
            }
        });
        const label = result.ok ? 'ok' : errorLine(result.error);
        const last = runs.at(-1);
        if (last?.label === label) {
            last.to = at;
            last.count += 1;
        }
        else {
            runs.push({ label, from: at, to: at, count: 1 });
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return runs.map((run) => `${run.from.toFixed(0)}–${run.to.toFixed(0)} ms: ${run.label} (${run.count}×)`);
}
