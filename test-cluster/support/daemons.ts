import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// The cluster's processes outlive the command that started them (`cluster.sh start` returns,
// the tests attach later), so each is started in a session of its own with its output in a log
// file, and found again by the pid file next to its log. A pid is trusted only while
// /proc/<pid> is alive and still runs the same program: a stale pid file never kills a stranger.

/** Starts `command` detached, its stdout and stderr appended to `logFile`; writes its pid to `pidFile`. */
export function startDaemon(command: string, args: readonly string[], logFile: string, pidFile: string): number {
    const log = fs.openSync(logFile, 'a');
    try {
        const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
        if (child.pid === undefined) {
            throw new Error(`${command} did not start (see ${logFile})`);
        }
        child.unref();
        fs.writeFileSync(pidFile, `${child.pid}\n`);
        return child.pid;
    }
    finally {
        fs.closeSync(log);
    }
}

/** The pid in `pidFile` if that process is alive and runs `program`; otherwise undefined. */
export function livePid(pidFile: string, program: string): number | undefined {
    let pid: number;
    try {
        pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    }
    catch {
        return undefined;
    }
    return Number.isInteger(pid) && pid > 0 && isRunning(pid, program) ? pid : undefined;
}

function isRunning(pid: number, program: string): boolean {
    try {
        // The state follows the command name in parentheses; a zombie has exited already.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        // Redis rewrites its title ("/usr/bin/redis-server 127.0.0.1:6379"): the program is its first word.
        return state !== 'Z' && commandLine.split(/[\0 ]/)[0]!.endsWith(program);
    }
    catch {
        return false;
    }
}

/**
 * Sends `signal` to the process of `pidFile` and waits until it is gone. For SIGTERM, a process
 * still alive after `graceMs` gets SIGKILL. Returns false when nothing was running.
 */
export async function stopDaemon(pidFile: string, program: string, signal: 'SIGTERM' | 'SIGKILL', graceMs = 60_000): Promise<boolean> {
    const pid = livePid(pidFile, program);
    if (pid === undefined) {
        return false;
    }
    process.kill(pid, signal);
    const killAt = Date.now() + graceMs;
    while (isRunning(pid, program)) {
        if (Date.now() > killAt) {
            process.kill(pid, 'SIGKILL');
        }
        await sleep(20);
    }
    return true;
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
    try {
        return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    }
    catch {
        return `(no ${file})`;
    }
}
