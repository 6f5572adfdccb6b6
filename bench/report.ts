import type { LoadResult } from './load';

/** One measured run of one route. */
export interface Measurement {
    readonly database: string;
    readonly round: number;
    readonly route: string;
    readonly result: LoadResult;
    /** Server CPU (user + system) per reply, µs, from /proc/<pid>/stat. */
    readonly cpuMicrosPerReply: number;
    /** The database server's CPU per reply when it runs on this machine (MySQL); SQLite's is in the app's. */
    readonly databaseCpuMicrosPerReply: number | undefined;
    /** req/s ÷ the baseline's req/s in the same round. */
    readonly ratio: number;
}

export interface Summary {
    readonly database: string;
    readonly route: string;
    readonly rounds: number;
    readonly perSecond: number;
    readonly ratio: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly non2xx: number;
    readonly wrong: number;
    readonly errors: number;
    readonly cpuMicrosPerReply: number;
    readonly databaseCpuMicrosPerReply: number | undefined;
    /** The shortest measured run, seconds: shorter than --duration when its distinct orders ran out. */
    readonly seconds: number;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Per database and route: medians over the rounds, totals of everything that went wrong. */
export function summarise(measurements: readonly Measurement[]): Summary[] {
    const groups = new Map<string, Measurement[]>();
    for (const measurement of measurements) {
        const key = `${measurement.database}\u0000${measurement.route}`;
        groups.set(key, [...(groups.get(key) ?? []), measurement]);
    }
    return [...groups.values()].map((group) => {
        const results = group.map((measurement) => measurement.result);
        return {
            database: group[0]!.database,
            route: group[0]!.route,
            rounds: group.length,
            perSecond: Math.round(median(results.map((result) => result.perSecond))),
            ratio: Number(median(group.map((measurement) => measurement.ratio)).toFixed(3)),
            p50: median(results.map((result) => result.p50)),
            p99: median(results.map((result) => result.p99)),
            max: Math.max(...results.map((result) => result.max)),
            non2xx: sum(results.map((result) => result.non2xx)),
            wrong: sum(results.map((result) => result.wrong)),
            errors: sum(results.map((result) => result.errors)),
            cpuMicrosPerReply: Math.round(median(group.map((measurement) => measurement.cpuMicrosPerReply))),
            databaseCpuMicrosPerReply: group[0]!.databaseCpuMicrosPerReply === undefined
                ? undefined
                : Math.round(median(group.map((measurement) => measurement.databaseCpuMicrosPerReply ?? 0))),
            seconds: Math.min(...results.map((result) => result.seconds)),
        };
    });
}

/** A Markdown table, ready to paste into the README. */
export function markdownTable(summaries: readonly Summary[]): string {
    const header = '| database | route | req/s | ratio | p50 ms | p99 ms | max ms | non-2xx | wrong | errors | server CPU µs/req | database CPU µs/req | shortest run s |';
    const rule = '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
    const rows = summaries.map((s) => `| ${s.database} | ${s.route} | ${s.perSecond} | ${s.ratio.toFixed(3)} | ${s.p50} | ${s.p99} | ${s.max} | ${s.non2xx} | ${s.wrong} | ${s.errors} | ${s.cpuMicrosPerReply} | ${s.databaseCpuMicrosPerReply ?? '–'} | ${s.seconds} |`);
    return [header, rule, ...rows].join('\n');
}
