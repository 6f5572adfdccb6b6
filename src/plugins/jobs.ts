import type { Plugin } from '@hapi/hapi';

/** Work the server does on a schedule of its own (the reconciler, the notification purge). */
export interface BackgroundJob {
    start(): void;
    /** Stops the schedule and waits for a run in progress. */
    stop(): Promise<void>;
}

/** Runs the jobs while the server listens; stops them (and waits for their runs) before the database closes. */
export const jobsPlugin: Plugin<{ jobs: readonly BackgroundJob[] }> = {
    name: 'app-jobs',
    register(server, { jobs }) {
        server.ext('onPostStart', () => {
            for (const job of jobs) {
                job.start();
            }
        });
        server.ext('onPreStop', async () => {
            await Promise.all(jobs.map((job) => job.stop()));
        });
    },
};
