/**
 * WeChat's durations — a prepay's 2 hours, the 5 minutes before an order may be closed,
 * the notify retry delays — on a scaled clock: `timeScale` real seconds per simulated
 * second. Instants (time_end, time_expire, watermarks) stay on the wall clock, because the
 * app compares them with its own.
 */
export class Clock {
    constructor(private readonly timeScale: number) {}

    /** Real milliseconds that a WeChat duration of `simulatedSeconds` lasts here. */
    realMs(simulatedSeconds: number): number {
        return simulatedSeconds * 1000 * this.timeScale;
    }

    /** Whether `simulatedSeconds` have passed since the real instant `sinceMs`. */
    hasElapsed(sinceMs: number, simulatedSeconds: number): boolean {
        return Date.now() - sinceMs >= this.realMs(simulatedSeconds);
    }
}
