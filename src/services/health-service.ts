import type { Models } from '../models';

/** A database that has not answered in this long counts as down. */
const DATABASE_CHECK_TIMEOUT_MS = 2000;

export class HealthService {
    constructor(private readonly models: Models) {}

    async databaseAnswers(): Promise<boolean> {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error('database check timed out')), DATABASE_CHECK_TIMEOUT_MS);
        });
        try {
            await Promise.race([this.models.sequelize.query('SELECT 1'), timeout]);
            return true;
        }
        catch {
            return false;
        }
        finally {
            clearTimeout(timer);
        }
    }
}
