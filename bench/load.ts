import { performance } from 'node:perf_hooks';

import autocannon from 'autocannon';

import { CHECKS, type CheckName, type Collected } from './checks';

// The load generator, in a process of its own (the orchestrator forks it once and sends it one
// run at a time over IPC), so its CPU is never the server's.

export interface RequestSpec {
    readonly method: 'GET' | 'POST';
    readonly path: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    /** Handed to the check with the reply (which user, which order). */
    readonly tag?: unknown;
}

export interface LoadSpec {
    readonly url: string;
    readonly connections: number;
    readonly seconds: number;
    readonly requests: readonly RequestSpec[];
    /** Each request is sent once (distinct orders); the run ends early when they run out. Otherwise they are cycled. */
    readonly distinct: boolean;
    readonly check: CheckName;
}

export interface LoadResult {
    /** How many of the spec's requests were handed out, in order (some may be unanswered when the run stopped). */
    readonly sent: number;
    /** Replies to the spec's requests (not counting the few sent while stopping). */
    readonly replies: number;
    readonly seconds: number;
    readonly perSecond: number;
    readonly non2xx: number;
    /** 2xx replies that were not the right answer. */
    readonly wrong: number;
    /** Connection errors and timeouts. */
    readonly errors: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    /** The run ended because its distinct requests ran out. */
    readonly exhausted: boolean;
    readonly collected: Collected[];
}

interface Context {
    spec?: RequestSpec;
}

/** While stopping, autocannon still wants a request per connection: a cheap one, not counted. */
const FILLER: RequestSpec = { method: 'GET', path: '/health' };

function run(spec: LoadSpec): Promise<LoadResult> {
    const check = CHECKS[spec.check];
    const collected: Collected[] = [];
    let next = 0;
    let replies = 0;
    let non2xx = 0;
    let wrong = 0;
    let exhausted = false;
    let instance: autocannon.Instance | undefined;

    const take = (): RequestSpec => {
        if (!spec.distinct) {
            return spec.requests[next++ % spec.requests.length]!;
        }
        if (next < spec.requests.length) {
            return spec.requests[next++]!;
        }
        if (!exhausted) {
            exhausted = true;
            instance?.stop();
        }
        return FILLER;
    };

    const started = performance.now();
    return new Promise((resolve, reject) => {
        instance = autocannon({
            url: spec.url,
            connections: spec.connections,
            duration: spec.seconds,
            timeout: 10,
            requests: [{
                setupRequest: (request, context: Context) => {
                    const chosen = take();
                    context.spec = chosen;
                    return { ...request, method: chosen.method, path: chosen.path, headers: { ...chosen.headers }, body: chosen.body };
                },
                onResponse: (status, body, context: Context) => {
                    const answered = context.spec;
                    if (answered === undefined || answered === FILLER) {
                        return;
                    }
                    replies += 1;
                    if (status < 200 || status >= 300) {
                        non2xx += 1;
                        return;
                    }
                    const verdict = check(status, body, answered.tag);
                    if (!verdict.ok) {
                        wrong += 1;
                    }
                    else if (verdict.collected !== undefined) {
                        collected.push(verdict.collected);
                    }
                },
            }],
        }, (error, result) => {
            if (error) {
                reject(error);
                return;
            }
            const seconds = (performance.now() - started) / 1000;
            resolve({
                sent: next,
                replies,
                seconds: Number(seconds.toFixed(2)),
                perSecond: Math.round(replies / seconds),
                non2xx,
                wrong,
                errors: result.errors + result.timeouts,
                p50: result.latency.p50,
                p99: result.latency.p99,
                max: result.latency.max,
                exhausted,
                collected,
            });
        });
        // Fewer distinct requests than connections: they ran out before `instance` was set.
        if (exhausted) {
            instance.stop();
        }
    });
}

process.on('message', (spec: LoadSpec) => {
    run(spec).then(
        (result) => process.send!({ result }),
        (error: unknown) => process.send!({ error: (error as Error).message }),
    );
});
