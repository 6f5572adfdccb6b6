import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

import { addBeijingDays, beijingDayOf, startOfBeijingDay } from '../src/wechat/beijing-day';
import { nonceStr } from '../src/wechat/nonce';
import { sign } from '../src/wechat/sign';
import { buildWxXml } from '../src/wechat/xml';
import type { TestDatabase } from '../test/helpers/databases';
import { onEachDatabase } from './databases';
import { randomMerchant } from './env';
import type { LoadResult, RequestSpec } from './load';
import { cpuMicros, memoryOf, peakHeapFromGcTrace, resetPeakMemory, type Memory } from './processes';
import { ShopDatabase, type PaidElsewhere } from './shop-database';
import { signIn } from './shoppers';
import { LoadGenerator, startApp, startSimulator, type App, type Service } from './stack';

// npm run bench:big-bill: a busy shop's day. The simulator makes a day of payments (100,000 by
// default) and answers downloadbill for it in WeChat's exact format, gzipped as tar_type=GZIP
// asks; the books hold the same payments. The app, built and run as production runs it, is
// asked for the day's report over its merchant API, first alone, then while GET /shops and
// GET /orders are under load. Printed: the bill's size, the time to reconcile, the app's peak
// memory (resident, and V8's heap from --trace-gc), and the other routes' latency, idle and
// meanwhile. A script that prints figures; it exits non-zero only when the report does not
// agree or a request failed.

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
const MB = 1024 * 1024;
/** How often a report still being made is asked for again. */
const POLL_MS = 100;

const USAGE = `npm run bench:big-bill -- [--rows 100000] [--connections 10] [--warmup 5] [--duration 10] [--no-build]
BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test adds a MySQL run (a fresh database is created there).`;

interface Options {
    readonly rows: number;
    readonly connections: number;
    readonly warmup: number;
    /** Seconds the idle latency is measured for. */
    readonly duration: number;
    readonly build: boolean;
    readonly mysqlUrl: string | undefined;
}

function options(): Options {
    const { values } = parseArgs({
        options: {
            rows: { type: 'string', default: '100000' },
            connections: { type: 'string', default: '10' },
            warmup: { type: 'string', default: '5' },
            duration: { type: 'string', default: '10' },
            'no-build': { type: 'boolean', default: false },
            help: { type: 'boolean', default: false },
        },
    });
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
    }
    const whole = (name: 'rows' | 'connections' | 'warmup' | 'duration', minimum: number) => {
        const value = Number(values[name]);
        if (!Number.isInteger(value) || value < minimum) {
            throw new Error(`--${name} must be an integer ≥ ${minimum}\n${USAGE}`);
        }
        return value;
    };
    return {
        rows: whole('rows', 1),
        connections: whole('connections', 1),
        warmup: whole('warmup', 0),
        duration: whole('duration', 1),
        build: !values['no-build'],
        mysqlUrl: process.env.BENCH_MYSQL_URL || undefined,
    };
}

const progress = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const merchant = randomMerchant();

/** The day's payments made at the simulator, at noon Beijing time. */
async function busyDay(simulator: Service, day: string, rows: number): Promise<PaidElsewhere[]> {
    const paidAt = new Date(startOfBeijingDay(day).getTime() + 12 * 3_600_000);
    const response = await fetch(`${simulator.url}/simulator/bills/payments`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: rows, paid_at: paidAt.toISOString() }),
    });
    if (response.status !== 201) {
        throw new Error(`the simulator made no busy day: ${response.status} ${await response.text()}`);
    }
    const { payments } = await response.json() as { payments: Array<{ out_trade_no: string; transaction_id: string; total_fee: number; paid_at: string }> };
    return payments.map((payment) => ({ outTradeNo: payment.out_trade_no, transactionId: payment.transaction_id, totalFee: payment.total_fee, paidAt: new Date(payment.paid_at) }));
}

interface BillSize {
    readonly gzipBytes: number;
    readonly textBytes: number;
    readonly lines: number;
}

/** The day's bill as the app downloads it (signed, bill_type ALL, tar_type GZIP): its size gzipped and as text. */
async function billSize(simulator: Service, day: string): Promise<BillSize> {
    const fields: Record<string, string> = { appid: merchant.appId, mch_id: merchant.mchId, nonce_str: nonceStr(), bill_date: day.replaceAll('-', ''), bill_type: 'ALL', tar_type: 'GZIP' };
    const response = await fetch(`${simulator.url}/pay/downloadbill`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: buildWxXml({ ...fields, sign: sign(fields, merchant.apiKey, 'MD5') }) });
    const gzipped = Buffer.from(await response.arrayBuffer());
    const text = gunzipSync(gzipped);
    let lines = 0;
    for (let at = text.indexOf(10); at !== -1; at = text.indexOf(10, at + 1)) {
        lines += 1;
    }
    return { gzipBytes: gzipped.length, textBytes: text.length, lines };
}

interface Reconciled {
    readonly ms: number;
    readonly report: { status: string; bill_payments: number; our_payments: number; discrepancy_count: number };
}

/**
 * GET /admin/reconciliations/{day} until it answers the report: the first call makes it (and may
 * answer 503 when that outlasts ROUTE_TIMEOUT_MS, the work going on); later ones read it.
 */
async function reconcile(app: App, day: string): Promise<Reconciled> {
    const started = performance.now();
    for (;;) {
        const response = await fetch(`${app.url}/admin/reconciliations/${day}`, { headers: { authorization: `Bearer ${app.adminKey}` } });
        const body = await response.json() as Reconciled['report'] & { message?: string };
        if (response.status === 200) {
            return { ms: performance.now() - started, report: body };
        }
        if (response.status !== 503 && response.status !== 409) {
            throw new Error(`the reconciliation answered ${response.status}: ${body.message}`);
        }
        await sleep(POLL_MS);
    }
}

/** The log's text written since `offset`. */
function logSince(logFile: string, offset: number): string {
    const size = statSync(logFile).size;
    const buffer = Buffer.alloc(size - offset);
    const descriptor = openSync(logFile, 'r');
    try {
        readSync(descriptor, buffer, 0, buffer.length, offset);
    }
    finally {
        closeSync(descriptor);
    }
    return buffer.toString('utf8');
}

interface EventLoopLag {
    readonly p99Ms: number;
    readonly maxMs: number;
}

/**
 * How late the app's event loop ran since the last call (prom-client's default metrics, which
 * start afresh at each scrape of GET /metrics; measured at a 10 ms resolution).
 */
async function eventLoopLag(app: App): Promise<EventLoopLag> {
    const text = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${app.metricsToken}` } })).text();
    const seconds = (name: string) => Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { p99Ms: Math.round(seconds('nodejs_eventloop_lag_p99_seconds') * 1000), maxMs: Math.round(seconds('nodejs_eventloop_lag_max_seconds') * 1000) };
}

interface Phase {
    /** CPU seconds (user + system) the app and the simulator (making and gzipping the bill) used meanwhile, and the wall-clock seconds. */
    readonly cpu: { readonly app: number; readonly simulator: number; readonly wall: number };
    readonly memory: Memory;
    /** V8's heap in use at its highest, bytes (undefined: no GC ran). */
    readonly peakHeap: number | undefined;
    readonly eventLoopLag: EventLoopLag;
}

/** Runs `work` with the app's CPU, peak memory, GC trace and event loop's lag read around it (and the simulator's CPU). */
async function watched<T>(app: App, simulator: Service, logFile: string, work: () => Promise<T>): Promise<{ result: T; phase: Phase }> {
    await eventLoopLag(app);
    resetPeakMemory(app.process.pid);
    const logOffset = statSync(logFile).size;
    const cpuBefore = { app: cpuMicros(app.process.pid), simulator: cpuMicros(simulator.process.pid), wall: performance.now() };
    const result = await work();
    const cpu = {
        app: (cpuMicros(app.process.pid) - cpuBefore.app) / 1e6,
        simulator: (cpuMicros(simulator.process.pid) - cpuBefore.simulator) / 1e6,
        wall: (performance.now() - cpuBefore.wall) / 1000,
    };
    const lag = await eventLoopLag(app);
    // The GC lines of the last moments reach the log through a pipe.
    await sleep(200);
    return { result, phase: { cpu, memory: memoryOf(app.process.pid), peakHeap: peakHeapFromGcTrace(logSince(logFile, logOffset), app.process.pid), eventLoopLag: lag } };
}

interface DatabaseFigures {
    readonly database: string;
    readonly bill: BillSize;
    readonly idle: { readonly load: LoadResult; readonly phase: Phase };
    readonly alone: { readonly reconciled: Reconciled; readonly phase: Phase };
    readonly underLoad: { readonly reconciled: readonly Reconciled[]; readonly load: LoadResult; readonly phase: Phase };
}

async function benchDatabase(database: TestDatabase, day: string, opts: Options, simulator: Service, load: LoadGenerator, logFile: string): Promise<DatabaseFigures> {
    const app = await startApp(database.url, merchant, simulator.url, logFile, { nodeOptions: ['--trace-gc'] });
    const books = new ShopDatabase(database.url);
    try {
        const [owner, reader] = await signIn(app, merchant.appId, 2);
        progress(`[${database.kind}] app pid ${app.process.pid}; ${opts.rows} payments on ${day} at the simulator and in the books`);
        const payments = await busyDay(simulator, day, opts.rows);
        await books.bookPaidOrders(payments, owner!.userId);
        const bill = await billSize(simulator, day);
        progress(`[${database.kind}] the bill: ${bill.lines} lines, ${(bill.textBytes / MB).toFixed(1)} MB of text, ${(bill.gzipBytes / MB).toFixed(1)} MB gzipped`);

        const requests: RequestSpec[] = [
            { method: 'GET', path: '/shops?page=1&limit=10' },
            { method: 'GET', path: '/orders?page=1&limit=10', headers: { authorization: `Bearer ${reader!.token}` } },
        ];
        const drive = (seconds: number) => load.run({ url: app.url, connections: opts.connections, seconds, requests, distinct: false, check: 'page' });
        if (opts.warmup > 0) {
            await drive(opts.warmup);
        }
        const idle = await watched(app, simulator, logFile, () => drive(opts.duration));
        progress(`[${database.kind}] idle: GET /shops + GET /orders p99 ${idle.result.p99} ms (p50 ${idle.result.p50} ms, ${idle.result.perSecond} req/s)`);

        const alone = await watched(app, simulator, logFile, () => reconcile(app, day));
        progress(`[${database.kind}] reconciled alone in ${(alone.result.ms / 1000).toFixed(2)} s: ${JSON.stringify(alone.result.report).slice(0, 160)}`);

        // The routes under load for --duration seconds, and the day reconciled from scratch, again
        // and again, all that time: every reply of the run is one answered while a bill was read.
        const underLoad = await watched(app, simulator, logFile, async () => {
            const loaded = drive(opts.duration);
            let loadEnded = false;
            void loaded.finally(() => {
                loadEnded = true;
            });
            const reconciled: Reconciled[] = [];
            while (!loadEnded) {
                await books.forgetReport(day);
                reconciled.push(await reconcile(app, day));
            }
            return { reconciled, load: await loaded };
        });
        const { reconciled, load: busy } = underLoad.result;
        progress(`[${database.kind}] reconciled ${reconciled.length} times under load, ${(meanMs(reconciled) / 1000).toFixed(2)} s each; `
            + `meanwhile p99 ${busy.p99} ms (p50 ${busy.p50} ms, ${busy.perSecond} req/s)`);
        return {
            database: database.kind,
            bill,
            idle: { load: idle.result, phase: idle.phase },
            alone: { reconciled: alone.result, phase: alone.phase },
            underLoad: { ...underLoad.result, phase: underLoad.phase },
        };
    }
    finally {
        await books.close();
        await app.process.stop();
    }
}

const meanMs = (reconciled: readonly Reconciled[]) => reconciled.reduce((sum, one) => sum + one.ms, 0) / reconciled.length;
const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / MB).toFixed(0));

function table(figures: readonly DatabaseFigures[], opts: Options): string {
    const lag = ({ eventLoopLag: { p99Ms, maxMs } }: Phase) => `${p99Ms} / ${maxMs}`;
    const cpu = ({ cpu: { app, simulator, wall } }: Phase) => `${app.toFixed(1)} / ${simulator.toFixed(1)} / ${wall.toFixed(1)}`;
    const phase = (label: string, time: string, { phase: figures, load }: { phase: Phase; load?: LoadResult }) =>
        `| ${label} | ${time} | ${cpu(figures)} | ${mb(figures.memory.peakRss)} | ${mb(figures.peakHeap)} | ${lag(figures)} `
        + `| ${load === undefined ? '–' : `${load.p50} / ${load.p99} / ${load.max}`} | ${load?.perSecond ?? '–'} |`;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const rows = figures.flatMap(({ database, idle, alone, underLoad }) => [
        phase(`${database}: idle (no reconciliation)`, '–', idle),
        phase(`${database}: reconciling, no other load`, seconds(alone.reconciled.ms), alone),
        phase(`${database}: reconciling ${underLoad.reconciled.length} times in a row, routes under load`, seconds(meanMs(underLoad.reconciled)), underLoad),
    ]);
    return [
        `| phase | reconcile time (mean) | CPU s: app / simulator / wall | peak RSS (MB) | peak heap used (MB) | event loop lag p99 / max (ms) | GET /shops + GET /orders p50 / p99 / max (ms), ${opts.connections} connections | req/s |`,
        '| --- | --: | --: | --: | --: | --: | --: | --: |',
        ...rows,
    ].join('\n');
}

async function main(): Promise<void> {
    const opts = options();
    mkdirSync(RESULTS, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const logFile = path.join(RESULTS, `${stamp}-big-bill-processes.log`);
    if (opts.build) {
        progress('building dist/ (npm run build)');
        execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    }
    const simulator = await startSimulator(merchant, logFile);
    const load = new LoadGenerator();
    let figures: DatabaseFigures[];
    try {
        // One simulator serves every database: each gets a day of its own, two days ago or earlier,
        // so its bill is ready at any hour of today and lists only that database's payments.
        let daysAgo = 1;
        figures = await onEachDatabase(opts.mysqlUrl, (database) => {
            daysAgo += 1;
            return benchDatabase(database, addBeijingDays(beijingDayOf(new Date()), -daysAgo), opts, simulator, load, logFile);
        });
    }
    finally {
        load.stop();
        await simulator.process.stop();
    }

    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
    const { bill } = figures[0]!;
    const file = path.join(RESULTS, `${stamp}-big-bill.json`);
    writeFileSync(file, JSON.stringify({ options: { ...opts, mysqlUrl: opts.mysqlUrl ? 'set' : undefined }, machine, figures }, null, 2));
    process.stdout.write(`\nA day of ${opts.rows} payments: WeChat's bill is ${bill.lines} lines, ${(bill.textBytes / MB).toFixed(1)} MB of text, `
        + `${(bill.gzipBytes / MB).toFixed(1)} MB gzipped (tar_type=GZIP); the books hold the same payments.\n`
        + `${machine}; load average at the end ${os.loadavg().map((average) => average.toFixed(2)).join(' ')}\n\n${table(figures, opts)}\n\nJSON: ${path.relative(ROOT, file)}\n`);

    const failures = figures.flatMap(({ database, alone, underLoad, idle }) => [
        ...[alone.reconciled, ...underLoad.reconciled].map((reconciled) => reconciled.report).filter((report) => report.status !== 'agreed' || report.bill_payments !== opts.rows)
            .map((report) => `${database}: the report is ${report.status} with ${report.bill_payments} bill payments`),
        ...[idle.load, underLoad.load].filter((result) => result.non2xx + result.wrong + result.errors > 0)
            .map((result) => `${database}: ${result.non2xx} non-2xx, ${result.wrong} wrong, ${result.errors} errors`),
    ]);
    if (failures.length > 0) {
        process.stdout.write(`\n${failures.join('\n')}\n`);
        process.exitCode = 1;
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
});
