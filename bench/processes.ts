import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;
const READY_TIMEOUT_MS = 60_000;

export interface Started {
    readonly name: string;
    readonly child: ChildProcess;
    readonly pid: number;
    stop(): Promise<void>;
}

/** A port the kernel says is free right now. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.unref();
        probe.on('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const address = probe.address();
            probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
        });
    });
}

/** Starts `node <args>` with exactly `env` (plus PATH), its output appended to logFile. */
export function startNode(name: string, args: readonly string[], env: Record<string, string>, logFile: string): Started {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    if (child.pid === undefined) {
        throw new Error(`${name} did not start`);
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
        name,
        child,
        pid: child.pid,
        async stop() {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGTERM');
                await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
            }
        },
    };
}

/** Waits until `url` answers with `status`, failing early if the process dies (see its log). */
export async function waitUntilReady(started: Started, url: string, status = 200, logFile = ''): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (started.child.exitCode !== null) {
            throw new Error(`${started.name} exited with code ${started.child.exitCode}; see ${logFile}`);
        }
        try {
            if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status === status) {
                return;
            }
        }
        catch {
            // not listening yet
        }
        await sleep(200);
    }
    throw new Error(`${started.name} was not ready at ${url} within ${READY_TIMEOUT_MS} ms; see ${logFile}`);
}

/** CPU time (user + system, all threads) the process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1_000_000) / TICKS_PER_SECOND;
}

/** The pid of a process on this machine running one of `names` (its /proc comm), if any. */
export function processNamed(names: readonly string[]): number | undefined {
    for (const entry of readdirSync('/proc')) {
        if (/^\d+$/.test(entry)) {
            try {
                if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) {
                    return Number(entry);
                }
            }
            catch {
                // gone meanwhile
            }
        }
    }
    return undefined;
}

export interface Memory {
    /** Resident set size now (VmRSS), bytes. */
    readonly rss: number;
    /** The highest it has been since the last resetPeakMemory, or since the start (VmHWM), bytes. */
    readonly peakRss: number;
}

/** The process's resident memory, from /proc/<pid>/status. */
export function memoryOf(pid: number): Memory {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kilobytes('VmRSS'), peakRss: kilobytes('VmHWM') };
}

/** Starts the peak (VmHWM) again from the present resident size: Linux's clear_refs, allowed on one's own processes. */
export function resetPeakMemory(pid: number): void {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * The most heap V8 had in use, in bytes, as the process's --trace-gc lines in `log` show it
 * (each GC line gives the heap used before it: the peaks between collections); undefined
 * without a GC line of that process.
 */
export function peakHeapFromGcTrace(log: string, pid: number): number | undefined {
    const line = new RegExp(`^\\[${pid}:0x[0-9a-f]+\\]\\s+\\d+ ms: .*? ([\\d.]+) \\([\\d.]+\\) -> [\\d.]+ \\([\\d.]+\\) MB`, 'gm');
    let peak: number | undefined;
    for (const match of log.matchAll(line)) {
        peak = Math.max(peak ?? 0, Number(match[1]) * 1024 * 1024);
    }
    return peak;
}
