import { parseArgs } from 'node:util';

export interface BenchOptions {
    /** Keep-alive connections autocannon holds open. */
    readonly connections: number;
    /** Seconds each measured run lasts. */
    readonly duration: number;
    /** Seconds of unmeasured load before each run (JIT, caches, connection pools). */
    readonly warmup: number;
    readonly rounds: number;
    /** Shoppers signed in through wxLogin; requests are spread over them. */
    readonly users: number;
    /** Reuse dist/ as it is instead of building it first. */
    readonly build: boolean;
    /** Orders with a prepay each distinct notify run starts from (stocked in the database when the pay runs made fewer). */
    readonly notifyOrders: number;
    /** Only the routes whose name contains this (the baseline always runs). */
    readonly only: string | undefined;
    /** Write a CPU profile of the app (node --cpu-prof) under bench/results/. */
    readonly profile: boolean;
    /** Also run every route on this MySQL/MariaDB server, in a fresh database. */
    readonly mysqlUrl: string | undefined;
}

const USAGE = `npm run bench -- [--connections 10] [--duration 10] [--warmup 5] [--rounds 3] [--users 100] [--notify-orders 1000 × (duration + 1)] [--no-build] [--only 'GET /shops'] [--profile]
BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test adds a MySQL round (a fresh database is created there).`;

export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
    const { values } = parseArgs({
        args: [...argv],
        options: {
            connections: { type: 'string', default: '10' },
            duration: { type: 'string', default: '10' },
            warmup: { type: 'string', default: '5' },
            rounds: { type: 'string', default: '3' },
            users: { type: 'string', default: '100' },
            'notify-orders': { type: 'string' },
            'no-build': { type: 'boolean', default: false },
            only: { type: 'string' },
            profile: { type: 'boolean', default: false },
            help: { type: 'boolean', default: false },
        },
    });
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
    }
    const positive = (name: 'connections' | 'duration' | 'warmup' | 'rounds' | 'users' | 'notify-orders', minimum: number) => {
        const value = Number(values[name]);
        if (!Number.isInteger(value) || value < minimum) {
            throw new Error(`--${name} must be an integer ≥ ${minimum}\n${USAGE}`);
        }
        return value;
    };
    const duration = positive('duration', 1);
    return {
        connections: positive('connections', 1),
        duration,
        warmup: positive('warmup', 0),
        rounds: positive('rounds', 1),
        users: positive('users', 1),
        // Enough for ~1000 notifications a second; a run that still runs out says so in the table.
        notifyOrders: values['notify-orders'] === undefined ? 1000 * (duration + 1) : positive('notify-orders', 1),
        build: !values['no-build'],
        only: values.only,
        profile: values.profile,
        mysqlUrl: env.BENCH_MYSQL_URL || undefined,
    };
}
