import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The suite's running totals. node --test runs every file in a process of its own, all
// children of one runner process, so the files of one run meet in a folder named after
// that runner: each file adds its counts (and its transcript, for the secret scan) when
// its process exits, and the last file prints the table.

export const FIGURES = {
    scenarios: 'scenarios run',
    requests: 'requests sent',
    faults: 'faults injected',
    hostile: 'hostile inputs tried',
    processes: 'processes spawned',
    wrongOrders: 'orders changed wrongly',
    lostNotifications: 'notifications lost',
    leakedSecrets: 'secrets found in bodies or logs',
} as const;
export type Figure = keyof typeof FIGURES;

/** Figures that must end at 0, or the suite fails. */
export const MUST_BE_ZERO: readonly Figure[] = ['wrongOrders', 'lostNotifications', 'leakedSecrets'];

export interface Secret {
    readonly name: string;
    readonly value: string;
}

/** A value a scenario measured (a latency, a hold time, a growth), printed in the table with its unit. */
export interface Measurement {
    readonly label: string;
    readonly value: number;
    readonly unit: string;
}

interface RunFile {
    /** When the first file of the run started. */
    startedAt: number;
    counts: Record<Figure, number>;
    measurements: Measurement[];
    scenarios: string[];
    secrets: Secret[];
}

/** A run older than this is a leftover of an interrupted one (a reused runner pid), not ours. */
const STALE_MS = 2 * 60 * 60 * 1000;

export const runDirectory = path.join(tmpdir(), `wxshop-reliability-${process.ppid}`);
const runFile = path.join(runDirectory, 'figures.json');

const counts = Object.fromEntries(Object.keys(FIGURES).map((name) => [name, 0])) as Record<Figure, number>;
const scenarios: string[] = [];
const measurements = new Map<string, Measurement>();
const secrets: Secret[] = [];
const transcript: string[] = [];
/** Set once the last file has read the run: nothing is written after that. */
let collected = false;

export function count(figure: Figure, by = 1): void {
    counts[figure] += by;
}

/**
 * Records a measured value for the table, e.g. `measure('slowest held connection', 4.9, 's')`.
 * Labels name one figure of the whole run: measuring a label again replaces its value.
 */
export function measure(label: string, value: number, unit: string): void {
    measurements.set(label, { label, value, unit });
}

/** Names a scenario (one describe) as run. */
export function scenario(name: string): void {
    scenarios.push(name);
    count('scenarios');
}

/** A secret that no response body or log line of the whole suite may contain. */
export function secret(name: string, value: string): void {
    if (value && !secrets.some((known) => known.value === value)) {
        secrets.push({ name, value });
    }
}

/** Text the suite received (a response body, a process's output line): scanned for secrets at the end. */
export function witness(source: string, text: string): void {
    transcript.push(`${source}\t${text}`);
}

/** The secrets among `texts`: [secret name, where it was seen]. */
export function findSecrets(texts: Iterable<string>, known: readonly Secret[] = secrets): Array<[string, string]> {
    const found: Array<[string, string]> = [];
    for (const text of texts) {
        for (const { name, value } of known) {
            if (text.includes(value)) {
                found.push([name, text.slice(0, 300)]);
            }
        }
    }
    return found;
}

/** What this process has witnessed so far. */
export function witnessed(): readonly string[] {
    return transcript;
}

function readRun(): RunFile {
    if (existsSync(runFile)) {
        const run = JSON.parse(readFileSync(runFile, 'utf8')) as RunFile;
        if (Date.now() - run.startedAt < STALE_MS) {
            return run;
        }
        rmSync(runDirectory, { recursive: true, force: true });
    }
    return { startedAt: Date.now(), counts: Object.fromEntries(Object.keys(FIGURES).map((name) => [name, 0])) as Record<Figure, number>, measurements: [], scenarios: [], secrets: [] };
}

function flush(): void {
    if (collected) {
        return;
    }
    mkdirSync(runDirectory, { recursive: true });
    const run = readRun();
    run.startedAt = Math.min(run.startedAt, Math.floor(performance.timeOrigin));
    for (const name of Object.keys(counts) as Figure[]) {
        run.counts[name] = (run.counts[name] ?? 0) + counts[name];
        counts[name] = 0;
    }
    run.scenarios.push(...scenarios.splice(0));
    for (const measurement of measurements.values()) {
        run.measurements = run.measurements.filter((known) => known.label !== measurement.label).concat(measurement);
    }
    measurements.clear();
    for (const known of secrets.splice(0)) {
        if (!run.secrets.some((other) => other.value === known.value)) {
            run.secrets.push(known);
        }
    }
    writeFileSync(runFile, JSON.stringify(run));
    if (transcript.length > 0) {
        appendFileSync(path.join(runDirectory, `transcript-${process.pid}.log`), `${transcript.splice(0).join('\n')}\n`);
    }
}

process.on('exit', flush);

export interface RunTotals {
    readonly counts: Readonly<Record<Figure, number>>;
    readonly measurements: readonly Measurement[];
    readonly scenarios: readonly string[];
    /** Secrets of any file seen in the transcript of any file. */
    readonly leaks: ReadonlyArray<[string, string]>;
    readonly transcriptLines: number;
    readonly elapsedMs: number;
}

/** Everything the files before this one recorded, plus this process's own; then forgets the run. */
export function collectRun(): RunTotals {
    flush();
    const run = readRun();
    const lines: string[] = [];
    for (const name of readdirSync(runDirectory).filter((file) => file.startsWith('transcript-'))) {
        const file = path.join(runDirectory, name);
        if (statSync(file).size > 0) {
            lines.push(...readFileSync(file, 'utf8').split('\n').filter(Boolean));
        }
    }
    const leaks = findSecrets(lines, run.secrets);
    run.counts.leakedSecrets = Math.max(run.counts.leakedSecrets, leaks.length);
    rmSync(runDirectory, { recursive: true, force: true });
    collected = true;
    return { counts: run.counts, measurements: run.measurements, scenarios: run.scenarios, leaks, transcriptLines: lines.length, elapsedMs: Date.now() - run.startedAt };
}

export function table(totals: RunTotals): string {
    const rows: Array<[string, string]> = (Object.keys(FIGURES) as Figure[]).map((name) => [FIGURES[name], String(totals.counts[name])]);
    rows.push(...totals.measurements.map(({ label, value, unit }): [string, string] => [label, `${formatMeasured(value)} ${unit}`]));
    rows.push(['lines scanned for secrets', String(totals.transcriptLines)], ['run time', `${(totals.elapsedMs / 1000).toFixed(1)} s`]);
    const width = Math.max(...rows.map(([label]) => label.length));
    const valueWidth = Math.max(...rows.map(([, value]) => value.length));
    const rule = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
    return [rule, ...rows.map(([label, value]) => `| ${label.padEnd(width)} | ${value.padStart(valueWidth)} |`), rule].join('\n');
}

/** Three significant digits at most: a measurement on a loaded machine is not more precise than that. */
function formatMeasured(value: number): string {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}
