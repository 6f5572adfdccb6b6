import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';

import { freePort } from '../../test/helpers/wait';
import { livePid, startDaemon, stopDaemon, tail } from './daemons';
import { cutSessions, haproxyConfig, HEALTH_CHECK_SCRIPT, proxyServers, type ProxyServerState } from './haproxy';

// A local MariaDB Galera cluster as Debian ships it (MariaDB 10.11, galera-4): three nodes on
// 127.0.0.1, HAProxy in front (node1 active, node2 and node3 backups) and a Redis, each on ports
// chosen free when the cluster is made (never 3306 or 6379: this machine's own MariaDB and Redis
// keep those). Everything lives under one directory, described by its cluster.json, so the
// command that starts the cluster and the tests that kill and restart its nodes may be different
// processes.

const MARIADBD = '/usr/sbin/mariadbd';
const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
const HAPROXY = '/usr/sbin/haproxy';
const REDIS_SERVER = '/usr/bin/redis-server';
const NODE_COUNT = 3;
const START_TIMEOUT_MS = 120_000;
const CHECK_USER = 'haproxy_check';

export const DEFAULT_CLUSTER_DIR = path.resolve(__dirname, '..', '..', 'data', 'cluster');

interface NodePorts {
    /** MySQL protocol. */
    readonly port: number;
    /** Galera replication (gmcast.listen_addr). */
    readonly galeraPort: number;
    /** Incremental state transfer, received by a joiner (ist.recv_addr). */
    readonly istPort: number;
    /** Full state transfer, the joiner's rsync daemon (wsrep_sst_receive_address). */
    readonly sstPort: number;
}

interface Layout {
    readonly nodes: readonly NodePorts[];
    readonly proxyPort: number;
    readonly redisPort: number;
}

export type StateTransfer = 'IST' | 'SST' | 'none';

export interface NodeStatus {
    readonly name: string;
    readonly port: number;
    readonly pid: number | undefined;
    /** wsrep_local_state_comment (Synced, Joining, Donor/Desynced, Initialized…), or why unknown. */
    readonly state: string;
    readonly clusterSize: number | undefined;
    /** wsrep_cluster_status: Primary, or non-Primary when cut off. */
    readonly component: string | undefined;
    readonly ready: boolean;
}

export interface ClusterStatus {
    readonly nodes: readonly NodeStatus[];
    readonly proxy: readonly ProxyServerState[] | string;
    readonly redis: boolean;
}

export class GaleraNode {
    readonly name: string;
    readonly dir: string;

    constructor(readonly index: number, private readonly ports: NodePorts, clusterDir: string, private readonly peers: string) {
        this.name = `node${index}`;
        this.dir = path.join(clusterDir, this.name);
    }

    get port(): number {
        return this.ports.port;
    }

    get dataDir(): string {
        return path.join(this.dir, 'data');
    }

    get socket(): string {
        return path.join(this.dir, 'mariadbd.sock');
    }

    get errorLog(): string {
        return path.join(this.dir, 'error.log');
    }

    private get pidFile(): string {
        return path.join(this.dir, 'mariadbd.pid');
    }

    private get configFile(): string {
        return path.join(this.dir, 'my.cnf');
    }

    /** `mysql://root@127.0.0.1:<port>/<database>` (root has no password on this local cluster). */
    url(database = ''): string {
        return `mysql://root@127.0.0.1:${this.port}/${database}`;
    }

    get pid(): number | undefined {
        return livePid(this.pidFile, 'mariadbd');
    }

    /** A connection over the node's own socket, for the cluster's own queries. */
    connect(): Promise<mysql.Connection> {
        return mysql.createConnection({ socketPath: this.socket, user: 'root' });
    }

    writeConfig(): void {
        fs.mkdirSync(this.dataDir, { recursive: true });
        fs.writeFileSync(this.configFile, [
            '[mysqld]',
            'user = mysql',
            `datadir = ${this.dataDir}`,
            `socket = ${this.socket}`,
            `pid-file = ${this.pidFile}`,
            `log-error = ${this.errorLog}`,
            `port = ${this.port}`,
            'bind-address = 127.0.0.1',
            '',
            '# What Galera needs to run at all; everything else is MariaDB\'s default.',
            'wsrep_on = ON',
            `wsrep_provider = ${GALERA_PROVIDER}`,
            `wsrep_cluster_address = gcomm://${this.peers}`,
            'binlog_format = ROW',
            'innodb_autoinc_lock_mode = 2',
            '',
            '# Where this node listens: three nodes share one host, so no port may be a default.',
            `wsrep_node_name = ${this.name}`,
            `wsrep_node_address = 127.0.0.1:${this.ports.galeraPort}`,
            `wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:${this.ports.galeraPort}; ist.recv_addr=127.0.0.1:${this.ports.istPort}"`,
            `wsrep_sst_receive_address = 127.0.0.1:${this.ports.sstPort}`,
            '',
        ].join('\n'));
        chownToMysql(this.dir);
    }

    /** Makes the system tables of a new cluster (node1 only; the others receive them by SST). */
    installSystemTables(): void {
        run(INSTALL_DB, [
            '--no-defaults', `--datadir=${this.dataDir}`, '--user=mysql', '--skip-test-db',
            '--auth-root-authentication-method=normal', '--skip-name-resolve',
        ]);
    }

    /** The first node of a new cluster: `--wsrep-new-cluster`. */
    async bootstrap(): Promise<void> {
        this.launch(['--wsrep-new-cluster']);
        await this.waitSynced();
    }

    /**
     * Starts a stopped or killed node so that it joins the running cluster. Its last committed
     * position is recovered from InnoDB first (`--wsrep-recover`, as Debian's galera_recovery
     * does): after a SIGKILL, grastate.dat says seqno -1 and without the recovered position the
     * node would ask for a full SST instead of the writesets it missed (IST).
     */
    async start(): Promise<{ position: string; transfer: StateTransfer }> {
        if (this.pid !== undefined) {
            throw new Error(`${this.name} is running already (pid ${this.pid})`);
        }
        // An empty data directory has no position: the node asks for a full SST.
        const position = fs.existsSync(path.join(this.dataDir, 'ibdata1')) ? this.recoverPosition() : 'none';
        const logFrom = fileSize(this.errorLog);
        this.launch(position === 'none' ? [] : [`--wsrep-start-position=${position}`]);
        await this.waitSynced();
        const log = fs.readFileSync(this.errorLog, 'utf8').slice(logFrom);
        // With rsync, an IST also runs the SST script (in bypass mode), so its log says which it was.
        const transfer: StateTransfer = /rsync SST completed on joiner/.test(log) ? 'SST' : /rsync IST completed on joiner/.test(log) ? 'IST' : 'none';
        return { position, transfer };
    }

    /** Empties the data directory of a stopped node: its next start receives everything by SST. */
    wipe(): void {
        if (this.pid !== undefined) {
            throw new Error(`${this.name} is running (pid ${this.pid}): stop it before wiping its data`);
        }
        fs.rmSync(this.dataDir, { recursive: true, force: true });
        fs.mkdirSync(this.dataDir);
        chownToMysql(this.dataDir);
    }

    /**
     * Cuts the node off from the others (gmcast.isolate=1) while it keeps running and keeps its
     * clients: once the others evict it, it is a non-Primary component of one.
     */
    async isolate(): Promise<void> {
        await this.setProviderOption('gmcast.isolate=1');
        await this.waitFor('non-Primary', (values) => values.get('wsrep_cluster_status') === 'non-Primary');
    }

    /** Ends `isolate()`: the node reconnects and catches up by IST. */
    async reconnect(): Promise<void> {
        await this.setProviderOption('gmcast.isolate=0');
        await this.waitSynced();
    }

    /** SIGKILL: a crash, no clean shutdown, no goodbye to the other nodes. */
    async kill(): Promise<void> {
        await stopDaemon(this.pidFile, 'mariadbd', 'SIGKILL');
    }

    /** A clean shutdown (SIGTERM; the node leaves the cluster and saves its position). */
    async stop(): Promise<void> {
        await stopDaemon(this.pidFile, 'mariadbd', 'SIGTERM');
    }

    async status(): Promise<NodeStatus> {
        const pid = this.pid;
        const base = { name: this.name, port: this.port, pid };
        if (pid === undefined) {
            return { ...base, state: 'stopped', clusterSize: undefined, component: undefined, ready: false };
        }
        try {
            const values = await this.wsrepStatus();
            return {
                ...base,
                state: values.get('wsrep_local_state_comment') ?? 'unknown',
                clusterSize: values.has('wsrep_cluster_size') ? Number(values.get('wsrep_cluster_size')) : undefined,
                component: values.get('wsrep_cluster_status'),
                ready: values.get('wsrep_ready') === 'ON',
            };
        }
        catch (error) {
            return { ...base, state: `not answering (${(error as Error).message})`, clusterSize: undefined, component: undefined, ready: false };
        }
    }

    private async wsrepStatus(): Promise<Map<string, string>> {
        const connection = await this.connect();
        try {
            const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW GLOBAL STATUS LIKE \'wsrep\\_%\'');
            return new Map(rows.map((row) => [String(row.Variable_name), String(row.Value)]));
        }
        finally {
            await connection.end();
        }
    }

    private launch(extra: readonly string[]): void {
        // mariadbd (running as mysql by then) rewrites the pid file this process records it in.
        fs.writeFileSync(this.pidFile, '');
        chownToMysql(this.pidFile);
        startDaemon(MARIADBD, [`--defaults-file=${this.configFile}`, ...extra], path.join(this.dir, 'mariadbd.out'), this.pidFile);
    }

    private recoverPosition(): string {
        const recoveryLog = path.join(this.dir, 'recover.log');
        fs.rmSync(recoveryLog, { force: true });
        run(MARIADBD, [`--defaults-file=${this.configFile}`, '--wsrep-recover', `--log-error=${recoveryLog}`]);
        const position = /WSREP: Recovered position: (\S+)/.exec(fs.readFileSync(recoveryLog, 'utf8'))?.[1];
        if (position === undefined) {
            throw new Error(`${this.name}: --wsrep-recover found no position:\n${tail(recoveryLog)}`);
        }
        return position;
    }

    private async setProviderOption(option: string): Promise<void> {
        const connection = await this.connect();
        try {
            await connection.query('SET GLOBAL wsrep_provider_options = ?', [option]);
        }
        finally {
            await connection.end();
        }
    }

    private waitSynced(): Promise<void> {
        return this.waitFor('Synced', (values) => values.get('wsrep_local_state_comment') === 'Synced' && values.get('wsrep_ready') === 'ON');
    }

    private async waitFor(what: string, reached: (values: Map<string, string>) => boolean): Promise<void> {
        const deadline = Date.now() + START_TIMEOUT_MS;
        for (;;) {
            if (this.pid === undefined) {
                throw new Error(`${this.name} exited before ${what}:\n${tail(this.errorLog)}`);
            }
            try {
                if (reached(await this.wsrepStatus())) {
                    return;
                }
            }
            catch {
                // Not accepting connections yet (or still receiving its state).
            }
            if (Date.now() > deadline) {
                throw new Error(`${this.name} not ${what} within ${START_TIMEOUT_MS} ms:\n${tail(this.errorLog)}`);
            }
            await sleep(100);
        }
    }
}

export class GaleraCluster {
    readonly nodes: readonly GaleraNode[];

    private constructor(readonly dir: string, private readonly layout: Layout) {
        const peers = layout.nodes.map((ports) => `127.0.0.1:${ports.galeraPort}`).join(',');
        this.nodes = layout.nodes.map((ports, index) => new GaleraNode(index + 1, ports, dir, peers));
    }

    /**
     * A new cluster in `dir` (whatever was there is removed first): node1 bootstrapped with
     * `--wsrep-new-cluster`, node2 and node3 joined by rsync SST, then HAProxy and Redis.
     */
    static async start(dir = DEFAULT_CLUSTER_DIR): Promise<GaleraCluster> {
        checkPrerequisites();
        const existing = fs.existsSync(path.join(dir, 'cluster.json')) ? GaleraCluster.attach(dir) : undefined;
        await existing?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
        // The nodes run as mysql: every directory above theirs must let them through.
        fs.chmodSync(dir, 0o755);
        const ports = await distinctFreePorts(NODE_COUNT * 4 + 2);
        const layout: Layout = {
            nodes: Array.from({ length: NODE_COUNT }, () => ({ port: ports.pop()!, galeraPort: ports.pop()!, istPort: ports.pop()!, sstPort: ports.pop()! })),
            proxyPort: ports.pop()!,
            redisPort: ports.pop()!,
        };
        fs.writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify(layout, null, 2)}\n`);
        const cluster = new GaleraCluster(dir, layout);
        try {
            await cluster.form();
        }
        catch (error) {
            await cluster.stop();
            throw error;
        }
        return cluster;
    }

    /** The cluster described by `dir`/cluster.json, started earlier (perhaps by another process). */
    static attach(dir = DEFAULT_CLUSTER_DIR): GaleraCluster {
        const file = path.join(dir, 'cluster.json');
        if (!fs.existsSync(file)) {
            throw new Error(`no cluster in ${dir} (start one first: scripts/cluster/cluster.sh start)`);
        }
        return new GaleraCluster(dir, JSON.parse(fs.readFileSync(file, 'utf8')) as Layout);
    }

    node(index: number): GaleraNode {
        const node = this.nodes[index - 1];
        if (node === undefined) {
            throw new Error(`no node ${index}: the nodes are 1 to ${this.nodes.length}`);
        }
        return node;
    }

    get proxyPort(): number {
        return this.layout.proxyPort;
    }

    /** HAProxy's address: one plain `mysql://` URL that follows the active node. */
    proxyUrl(database = ''): string {
        return `mysql://root@127.0.0.1:${this.proxyPort}/${database}`;
    }

    get redisUrl(): string {
        return `redis://127.0.0.1:${this.layout.redisPort}`;
    }

    async status(): Promise<ClusterStatus> {
        const nodes = await Promise.all(this.nodes.map((node) => node.status()));
        const proxy = this.proxyPid === undefined ? 'stopped' : await proxyServers(this.statsSocket).catch((error: Error) => error.message);
        return { nodes, proxy, redis: this.redisPid !== undefined };
    }

    async proxyServers(): Promise<ProxyServerState[]> {
        return proxyServers(this.statsSocket);
    }

    /** Closes every connection HAProxy holds to `node`: its clients see the connection cut. */
    async cutProxySessions(node: number): Promise<void> {
        await cutSessions(this.statsSocket, this.node(node).name);
    }

    /**
     * Waits until HAProxy holds each named node UP (true: its last check passed) or DOWN (false);
     * a node between the two ("UP 1/2", "DOWN 1/2") matches neither.
     */
    async waitForProxy(expected: Readonly<Record<string, boolean>>, timeoutMs = 30_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        const held = (server: ProxyServerState) => expected[server.name] ? server.status === 'UP' && server.check === 'PROCOK' : server.status === 'DOWN';
        for (;;) {
            // Just started, HAProxy may not have opened its stats socket yet.
            const servers = await this.proxyServers().catch(() => []);
            const matches = servers.length > 0 && servers.every((server) => expected[server.name] === undefined || held(server));
            if (matches) {
                return;
            }
            if (Date.now() > deadline) {
                throw new Error(`HAProxy's servers not ${JSON.stringify(expected)} within ${timeoutMs} ms: ${JSON.stringify(servers)}`);
            }
            await sleep(100);
        }
    }

    /** Stops HAProxy, Redis and the nodes (last node first, cleanly); the directory stays for its logs. */
    async stop(): Promise<void> {
        await stopDaemon(this.proxyPidFile, 'haproxy', 'SIGTERM');
        await stopDaemon(this.redisPidFile, 'redis-server', 'SIGTERM');
        for (const node of [...this.nodes].reverse()) {
            await node.stop();
        }
    }

    private async form(): Promise<void> {
        const [first, ...others] = this.nodes;
        for (const node of this.nodes) {
            node.writeConfig();
        }
        first!.installSystemTables();
        await first!.bootstrap();
        await this.createCheckUser(first!);
        this.startRedis();
        await Promise.all(others.map(async (node) => {
            const { transfer } = await node.start();
            if (transfer !== 'SST') {
                throw new Error(`${node.name} joined a new cluster without SST (${transfer}): its data directory was not empty`);
            }
        }));
        this.startProxy();
        await this.waitForProxy(Object.fromEntries(this.nodes.map((node) => [node.name, true])));
    }

    /** HAProxy's check user (root@127.0.0.1 without a password comes from mariadb-install-db). */
    private async createCheckUser(node: GaleraNode): Promise<void> {
        const connection = await node.connect();
        try {
            await connection.query(`CREATE USER '${CHECK_USER}'@'127.0.0.1'`);
        }
        finally {
            await connection.end();
        }
    }

    private get statsSocket(): string {
        return path.join(this.dir, 'haproxy.sock');
    }

    private get proxyPidFile(): string {
        return path.join(this.dir, 'haproxy.pid');
    }

    private get proxyPid(): number | undefined {
        return livePid(this.proxyPidFile, 'haproxy');
    }

    private startProxy(): void {
        const config = path.join(this.dir, 'haproxy.cfg');
        fs.writeFileSync(config, haproxyConfig({
            port: this.proxyPort,
            statsSocket: this.statsSocket,
            checkScript: HEALTH_CHECK_SCRIPT,
            backends: this.nodes.map((node) => ({ name: node.name, port: node.port })),
        }));
        run(HAPROXY, ['-c', '-q', '-f', config]);
        // -db: in the foreground of its own detached session, so its pid is the one recorded.
        startDaemon(HAPROXY, ['-db', '-f', config], path.join(this.dir, 'haproxy.log'), this.proxyPidFile);
    }

    private get redisPidFile(): string {
        return path.join(this.dir, 'redis.pid');
    }

    private get redisPid(): number | undefined {
        return livePid(this.redisPidFile, 'redis-server');
    }

    private startRedis(): void {
        startDaemon(REDIS_SERVER, [
            '--port', String(this.layout.redisPort), '--bind', '127.0.0.1',
            '--save', '', '--appendonly', 'no', '--dir', this.dir,
        ], path.join(this.dir, 'redis.log'), this.redisPidFile);
    }
}

/** What Debian's packages must have put in place; root, so the nodes can be started as mysql. */
function checkPrerequisites(): void {
    const needed: ReadonlyArray<readonly [string, string]> = [
        [MARIADBD, 'mariadb-server'], [INSTALL_DB, 'mariadb-server'], [GALERA_PROVIDER, 'galera-4'],
        ['/usr/bin/rsync', 'rsync'], [HAPROXY, 'haproxy'], [REDIS_SERVER, 'redis-server'],
    ];
    const missing = needed.filter(([file]) => !fs.existsSync(file));
    if (missing.length > 0) {
        throw new Error(`missing ${missing.map(([file]) => file).join(', ')}: apt-get install -y ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')}`);
    }
    if (process.getuid?.() !== 0) {
        throw new Error('the cluster is started as root (its nodes then run as mysql)');
    }
}

function run(command: string, args: readonly string[]): void {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
    }
}

function chownToMysql(file: string): void {
    run('chown', ['-R', 'mysql:mysql', file]);
}

function fileSize(file: string): number {
    try {
        return fs.statSync(file).size;
    }
    catch {
        return 0;
    }
}

async function distinctFreePorts(count: number): Promise<number[]> {
    const ports = new Set<number>();
    while (ports.size < count) {
        ports.add(await freePort());
    }
    return [...ports];
}
