import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { TestDatabase } from '../test/helpers/databases';
import { onEachDatabase } from './databases';
import { randomMerchant } from './env';
import type { LoadResult } from './load';
import { benchOptions, type BenchOptions } from './options';
import { cpuMicros, processNamed } from './processes';
import { markdownTable, summarise, type Measurement } from './report';
import { ShopDatabase, type LedgerCheck } from './shop-database';
import { post, signIn } from './shoppers';
import { ORDER_TOTAL_FEE, ShopFloor, type Route, type Shopper } from './shop-floor';
import { LoadGenerator, startApp, startBaseline, startSimulator, type Service } from './stack';

// npm run bench: the app as production runs it, driven route by route over loopback HTTP,
// each figure read against a bare hapi server measured in the same round. A script that
// prints; it asserts nothing but counts every wrong answer and checks the ledger.

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
/** The app signs prepays (and so WeChat signs notifications) with its default, MD5. */
const SIGN_TYPE = 'MD5';
const merchant = randomMerchant();
const DISTINCT_WARMUP_SECONDS = 1;
/** The baseline between two routes: warm already, it needs only its connections opened again. */
const BASELINE_REWARM_SECONDS = 1;

const progress = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** One order paid end to end: the app's prepay, the shopper paying at the simulator, its notification. */
async function payThroughSimulator(app: Service, simulator: Service, shopper: Shopper, shopDatabase: ShopDatabase, floor: ShopFloor): Promise<void> {
    const auth = { authorization: `Bearer ${shopper.token}` };
    const order = await post(`${app.url}/orders`, { goodsList: [{ goods_id: 1, count: 1 }] }, auth);
    const pay = await post(`${app.url}/orders/${order.json.id}/pay`, {}, auth);
    const paid = await post(`${simulator.url}/simulator/pay`, pay.json);
    if (order.status !== 201 || pay.status !== 200 || paid.status !== 200) {
        throw new Error(`paying through the simulator failed: ${order.status} ${pay.status} ${paid.status} ${JSON.stringify(paid.json)}`);
    }
    const outTradeNo = paid.json.out_trade_no as string;
    for (let attempt = 0; attempt < 100; attempt += 1) {
        if (await shopDatabase.isPaid(outTradeNo)) {
            floor.paidElsewhere(outTradeNo, paid.json.transaction_id as string);
            return;
        }
        await sleep(100);
    }
    throw new Error(`the simulator's notification did not pay ${outTradeNo} within 10 s`);
}

/**
 * Orders with a prepay, made before measuring (and warming the order and pay paths): the
 * notify runs are faster than the pay runs that feed them, so they start from a stock.
 */
async function stockUp(floor: ShopFloor, app: Service, load: LoadGenerator, options: BenchOptions): Promise<void> {
    for (const route of floor.routes().filter((candidate) => candidate.stocks)) {
        const plan = route.plan();
        if (plan !== undefined) {
            route.settle?.(plan, await load.run({ url: app.url, connections: options.connections, seconds: options.duration, distinct: route.distinct ?? false, ...plan }));
        }
    }
    progress(`stocked ${floor.stock()} orders with a prepay`);
}

function reportLedger(database: string, check: LedgerCheck): boolean {
    const sound = check.wrong.length === 0 && check.unexpectedlyPaid === 0;
    progress(`[${database}] ledger: ${check.acknowledged} orders acknowledged, ${check.wrong.length} of them not paid exactly once, ${check.unexpectedlyPaid} other orders paid${sound ? '' : ' ← WRONG'}`);
    for (const line of check.wrong.slice(0, 10)) {
        progress(`  ${line}`);
    }
    return sound;
}

interface Stack {
    readonly simulator: Service;
    readonly baseline: Service;
    readonly load: LoadGenerator;
}

/**
 * The database server's process when it runs on this machine (MariaDB or MySQL at a loopback
 * address): its CPU shares the two cores with the app's, so the table shows it beside the app's.
 */
function localDatabaseServer(database: TestDatabase): number | undefined {
    const { hostname } = new URL(database.url);
    return database.kind === 'mysql' && ['127.0.0.1', 'localhost', '::1'].includes(hostname) ? processNamed(['mariadbd', 'mysqld']) : undefined;
}

interface Measured {
    readonly result: LoadResult;
    readonly cpuMicrosPerReply: number;
    readonly databaseCpuMicrosPerReply: number | undefined;
}

/** One route, one round: a warm-up, then a measured run with the server's (and a local database server's) CPU read around it. */
async function measure(route: Route, target: Service, load: LoadGenerator, options: BenchOptions, warmupSeconds = options.warmup, databasePid?: number): Promise<Measured | undefined> {
    const drive = async (seconds: number) => {
        const plan = route.plan();
        if (plan === undefined) {
            return undefined;
        }
        const result = await load.run({ url: target.url, connections: options.connections, seconds, distinct: route.distinct ?? false, ...plan });
        route.settle?.(plan, result);
        return result;
    };
    if (warmupSeconds > 0) {
        // Distinct orders are the scarce input: a distinct route warms up briefly.
        await drive(route.distinct ? Math.min(warmupSeconds, DISTINCT_WARMUP_SECONDS) : warmupSeconds);
    }
    const cpuBefore = cpuMicros(target.process.pid);
    const databaseCpuBefore = databasePid === undefined ? 0 : cpuMicros(databasePid);
    const result = await drive(options.duration);
    const cpuAfter = cpuMicros(target.process.pid);
    const databaseCpuAfter = databasePid === undefined ? 0 : cpuMicros(databasePid);
    const perReply = (micros: number) => Math.round(micros / Math.max(1, result?.replies ?? 0));
    return result && {
        result: { ...result, collected: [] },
        cpuMicrosPerReply: perReply(cpuAfter - cpuBefore),
        databaseCpuMicrosPerReply: databasePid === undefined ? undefined : perReply(databaseCpuAfter - databaseCpuBefore),
    };
}

async function benchDatabase(database: TestDatabase, options: BenchOptions, { simulator, baseline, load }: Stack, logFile: string): Promise<{ measurements: Measurement[]; ledgers: LedgerCheck[] }> {
    const app = await startApp(database.url, merchant, simulator.url, logFile, { profileDir: options.profile ? RESULTS : undefined });
    const databasePid = localDatabaseServer(database);
    const shopDatabase = new ShopDatabase(database.url);
    const measurements: Measurement[] = [];
    const ledgers: LedgerCheck[] = [];
    try {
        progress(`[${database.kind}] app pid ${app.process.pid} at ${app.url}; signing in ${options.users} shoppers`);
        const shoppers = await signIn(app, merchant.appId, options.users);
        const floor = new ShopFloor(shoppers, merchant, SIGN_TYPE);
        await payThroughSimulator(app, simulator, shoppers[0]!, shopDatabase, floor);
        progress(`[${database.kind}] one order paid through the simulator's notification; measuring`);

        const routes = floor.routes().filter((route) => route.baseline || options.only === undefined || route.name.includes(options.only));
        if (routes.some((route) => route.distinct)) {
            await stockUp(floor, app, load, options);
        }

        const baselineRoute = routes.find((route) => route.baseline)!;
        const appRoutes = routes.filter((route) => !route.baseline);
        for (let round = 1; round <= options.rounds; round += 1) {
            const label = `[${database.kind} ${round}/${options.rounds}]`;
            const measureBaseline = async (warmupSeconds: number) => {
                const { result, cpuMicrosPerReply } = (await measure(baselineRoute, baseline, load, options, warmupSeconds))!;
                measurements.push({ database: database.kind, round, route: baselineRoute.name, result, cpuMicrosPerReply, databaseCpuMicrosPerReply: undefined, ratio: 1 });
                return result.perSecond;
            };
            // Each route runs between two baseline runs and is read against their mean: this
            // VM's speed drifts within a round, and a baseline run per round left its ratios to chance.
            let baselineBefore = await measureBaseline(round === 1 ? options.warmup : BASELINE_REWARM_SECONDS);
            for (const route of appRoutes) {
                if (route.distinct && route.notifies && floor.stock() < options.notifyOrders) {
                    floor.addPrepaid(await shopDatabase.stockPrepaidOrders(options.notifyOrders - floor.stock(), shoppers.map((shopper) => shopper.userId), ORDER_TOTAL_FEE, SIGN_TYPE));
                }
                const measured = await measure(route, app, load, options, options.warmup, databasePid);
                if (measured === undefined) {
                    progress(`${label} ${route.name}: skipped, no orders left for it`);
                    continue;
                }
                const { result, cpuMicrosPerReply, databaseCpuMicrosPerReply } = measured;
                const baselineAfter = await measureBaseline(BASELINE_REWARM_SECONDS);
                const baselinePerSecond = (baselineBefore + baselineAfter) / 2;
                baselineBefore = baselineAfter;
                const ratio = result.perSecond / baselinePerSecond;
                measurements.push({ database: database.kind, round, route: route.name, result, cpuMicrosPerReply, databaseCpuMicrosPerReply, ratio });
                const databaseCpu = databaseCpuMicrosPerReply === undefined ? '' : ` (+ ${databaseCpuMicrosPerReply} µs the database server's)`;
                progress(`${label} ${route.name}: ${result.perSecond} req/s (ratio ${ratio.toFixed(3)} to the baseline's ${Math.round(baselinePerSecond)}), p99 ${result.p99} ms, ${cpuMicrosPerReply} µs CPU/req${databaseCpu}, `
                    + `${result.non2xx} non-2xx, ${result.wrong} wrong, ${result.errors} errors${result.exhausted ? `, orders ran out after ${result.seconds} s` : ''}`);
                if (route.notifies) {
                    ledgers.push(await shopDatabase.check(floor.acknowledged, floor.attempted));
                    reportLedger(database.kind, ledgers.at(-1)!);
                }
            }
        }
    }
    finally {
        await shopDatabase.close();
        await app.process.stop();
    }
    return { measurements, ledgers };
}

async function main(): Promise<void> {
    const options = benchOptions(process.argv.slice(2), process.env);
    mkdirSync(RESULTS, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const logFile = path.join(RESULTS, `${stamp}-processes.log`);
    if (options.build) {
        progress('building dist/ (npm run build)');
        execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    }
    const simulator = await startSimulator(merchant, logFile);
    const baseline = await startBaseline(logFile);
    const load = new LoadGenerator();
    progress(`simulator pid ${simulator.process.pid}, baseline pid ${baseline.process.pid}, load generator pid ${load.pid}; `
        + `${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s per run, ${options.rounds} rounds`);

    let figures;
    try {
        figures = await onEachDatabase(options.mysqlUrl, (database) => benchDatabase(database, options, { simulator, baseline, load }, logFile));
    }
    finally {
        load.stop();
        await Promise.all([simulator.process.stop(), baseline.process.stop()]);
    }

    const measurements = figures.flatMap((figure) => figure.measurements);
    const ledgers = figures.flatMap((figure) => figure.ledgers);
    const summaries = summarise(measurements);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
    const table = markdownTable(summaries);
    const file = path.join(RESULTS, `${stamp}-c${options.connections}.json`);
    writeFileSync(file, JSON.stringify({ options: { ...options, mysqlUrl: options.mysqlUrl ? 'set' : undefined }, machine, loadAverage: os.loadavg(), summaries, measurements, ledgers }, null, 2));
    process.stdout.write(`\n${options.connections} keep-alive connections, ${options.duration} s per run after ${options.warmup} s warm-up, median of ${options.rounds} round(s)\n`
        + `${machine}; load average at the end ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}\n\n${table}\n\nJSON: ${path.relative(ROOT, file)}\n`);

    const unsound = ledgers.some((check) => check.wrong.length > 0 || check.unexpectedlyPaid > 0);
    const failures = summaries.reduce((total, summary) => total + summary.non2xx + summary.wrong + summary.errors, 0);
    if (unsound || failures > 0) {
        process.stdout.write(`\n${failures} failed replies${unsound ? '; the ledger does not hold (see above)' : ''}\n`);
        process.exitCode = 1;
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
});
