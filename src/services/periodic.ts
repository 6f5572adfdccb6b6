import type { Logger } from 'pino';

/**
 * Runs `work` every `intervalMs` (0: never) while started, one run at a time; stop() waits
 * for a run in progress, so the database is not closed under it.
 */
export class Periodic<T> {
    private timer: NodeJS.Timeout | undefined;
    private running: Promise<T> | undefined;

    constructor(
        private readonly name: string,
        private readonly intervalMs: number,
        private readonly work: (now: Date) => Promise<T>,
        private readonly logger: Logger,
    ) {}

    start(): void {
        if (this.intervalMs > 0 && !this.timer) {
            this.timer = setInterval(() => void this.runOnce().catch((error: Error) => this.logger.error({ err: error.message }, `${this.name} run failed`)),
                this.intervalMs);
            this.timer.unref();
        }
    }

    async stop(): Promise<void> {
        clearInterval(this.timer);
        this.timer = undefined;
        await this.running?.catch(() => undefined);
    }

    /** A run now, or the one already in progress. */
    runOnce(now = new Date()): Promise<T> {
        this.running ??= this.work(now).finally(() => {
            this.running = undefined;
        });
        return this.running;
    }
}
