import { QueryTypes } from 'sequelize';

import type { Models } from '../models';

/** A database that has not answered in this long is down, or busy if every connection is taken. */
const DATABASE_CHECK_TIMEOUT_MS = 2000;

/**
 * A write that changes nothing: the database must take a write lock for it (a read-only file
 * or server refuses it) yet nothing grows, however often a load balancer asks.
 */
const WRITE_PROBE = 'UPDATE SequelizeMeta SET name = name WHERE 1 = 0';

/** 'busy': up, but no connection free in time (pool exhausted, SQLite's write lock held). */
export type DatabaseHealth = 'ok' | 'busy' | 'down';

interface PoolState {
    readonly using: number;
    readonly waiting: number;
    readonly maxSize: number;
}

class CheckTimedOut extends Error {}

export class HealthService {
    constructor(private readonly models: Models) {}

    async database(): Promise<DatabaseHealth> {
        if (this.poolExhausted()) {
            return 'busy';
        }
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new CheckTimedOut()), DATABASE_CHECK_TIMEOUT_MS);
        });
        try {
            // Typed as the write it is, so on SQLite it queues for the writer like every other write.
            await Promise.race([this.models.sequelize.query(WRITE_PROBE, { type: QueryTypes.UPDATE }), timeout]);
            return 'ok';
        }
        catch (error) {
            return error instanceof CheckTimedOut && (this.isSqlite() || this.poolExhausted()) ? 'busy' : 'down';
        }
        finally {
            clearTimeout(timer);
        }
    }

    private isSqlite(): boolean {
        return this.models.sequelize.getDialect() === 'sqlite';
    }

    /** MySQL: every pooled connection in use and requests queued for one. SQLite has no pool to exhaust. */
    private poolExhausted(): boolean {
        if (this.isSqlite()) {
            return false;
        }
        const pool = (this.models.sequelize.connectionManager as unknown as { pool: PoolState }).pool;
        return pool.using >= pool.maxSize && pool.waiting > 0;
    }
}
