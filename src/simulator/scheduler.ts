import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Every wait the simulator makes (notify retries, replies held by a timeout fault) and every
 * notification in flight hangs on one abort signal, so stopping the server ends them all.
 * Waits are unref'd: a pending retry never keeps the process alive.
 */
export class Scheduler {
    private readonly controller = new AbortController();

    constructor() {
        // One listener per pending wait; hundreds of unacknowledged orders are normal here.
        setMaxListeners(0, this.controller.signal);
    }

    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** Resolves true after `realMs`, or false as soon as the simulator stops. */
    wait(realMs: number): Promise<boolean> {
        return sleep(realMs, true, { signal: this.controller.signal, ref: false }).catch(() => false);
    }

    stop(): void {
        this.controller.abort();
    }
}
