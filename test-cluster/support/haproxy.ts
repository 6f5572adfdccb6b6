import net from 'node:net';
import path from 'node:path';

// HAProxy in TCP mode in front of the nodes: node1 takes every connection while it is healthy,
// node2 then node3 are backups (HAProxy uses only the first backup that is up unless
// `option allbackups`), so one node writes at a time.
//
// Health is judged by scripts/cluster/galera-check.sh (wsrep_ready ON and Synced), not by
// `option mysql-check`: a node that is joining, a donor, or cut off from the primary component
// still completes a MySQL handshake, yet answers every statement with errno 1047.
// `shutdown-sessions` closes the connections of a node marked down (a node cut off from the
// cluster keeps its sockets open otherwise); `shutdown-backup-sessions` closes the backups'
// connections when node1 is back, so two nodes never take writes through the proxy at once.
// Timeouts are those of Debian's shipped haproxy.cfg: an idle pooled connection is closed
// after 50 s, as it would be in production.

export const PROXY_NAME = 'galera';

export interface ProxyBackend {
    readonly name: string;
    readonly port: number;
}

export function haproxyConfig(options: { port: number; statsSocket: string; checkScript: string; backends: readonly ProxyBackend[] }): string {
    const servers = options.backends.map(({ name, port }, index) => {
        const role = index === 0 ? 'on-marked-up shutdown-backup-sessions' : 'backup';
        return `    server ${name} 127.0.0.1:${port} check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions ${role}`;
    });
    return [
        'global',
        '    external-check',
        '    insecure-fork-wanted',
        `    stats socket ${options.statsSocket} mode 600 level admin`,
        '',
        'defaults',
        '    mode tcp',
        '    timeout connect 5s',
        '    timeout client 50s',
        '    timeout server 50s',
        '',
        `listen ${PROXY_NAME}`,
        `    bind 127.0.0.1:${options.port}`,
        '    option external-check',
        `    external-check path "/usr/bin:/bin"`,
        `    external-check command ${options.checkScript}`,
        ...servers,
        '',
    ].join('\n');
}

/** One command on HAProxy's runtime API (the stats socket); its whole answer. */
export function runtimeCommand(statsSocket: string, command: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(statsSocket);
        const chunks: Buffer[] = [];
        socket.setTimeout(5000, () => socket.destroy(new Error(`HAProxy did not answer "${command}" within 5 s`)));
        socket.on('connect', () => socket.end(`${command}\n`));
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
}

export interface ProxyServerState {
    readonly name: string;
    /** UP, DOWN, or a transition such as "UP 1/2". */
    readonly status: string;
    readonly backup: boolean;
    /** Connections open through the proxy to this server now. */
    readonly sessions: number;
    /** The last check's result, e.g. PROCOK or PROCERR (external check). */
    readonly check: string;
}

export async function proxyServers(statsSocket: string): Promise<ProxyServerState[]> {
    const [header, ...rows] = (await runtimeCommand(statsSocket, 'show stat')).trim().split('\n');
    const columns = header!.replace(/^# /, '').split(',');
    const at = (name: string) => columns.indexOf(name);
    return rows.map((row) => row.split(','))
        .filter((fields) => fields[at('pxname')] === PROXY_NAME && !['FRONTEND', 'BACKEND'].includes(fields[at('svname')]!))
        .map((fields) => ({
            name: fields[at('svname')]!,
            status: fields[at('status')]!,
            backup: fields[at('bck')] === '1',
            sessions: Number(fields[at('scur')]),
            check: fields[at('check_status')]!.replace(/^\* /, ''),
        }));
}

/** Closes every connection HAProxy holds to `server` (the client sees its connection cut). */
export async function cutSessions(statsSocket: string, server: string): Promise<void> {
    await runtimeCommand(statsSocket, `shutdown sessions server ${PROXY_NAME}/${server}`);
}

export const HEALTH_CHECK_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'cluster', 'galera-check.sh');
