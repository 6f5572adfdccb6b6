import type { Plugin } from '@hapi/hapi';

import type { AppConfig } from '../config';
import { migrate } from '../db/migrator';
import { prepareDatabase } from '../db/sequelize';
import type { Models } from '../models';

/**
 * How long closing may wait once the server has stopped. Requests still waiting on a stuck
 * database were cut off at SHUTDOWN_TIMEOUT_MS; their queries must not hold the process.
 */
const CLOSE_TIMEOUT_MS = 2000;

/** Prepares the database before the server starts (migrations when asked) and closes it after it stops. */
export const databasePlugin: Plugin<{ models: Models; database: AppConfig['database'] }> = {
    name: 'app-database',
    register(server, { models, database }) {
        server.ext('onPreStart', async () => {
            await prepareDatabase(models.sequelize);
            if (database.autoMigrate) {
                const ran = await migrate(models.sequelize);
                if (ran.length > 0) {
                    server.log(['database'], `ran ${ran.length} migration(s)`);
                }
            }
        });
        server.ext('onPostStop', async () => {
            let timer: NodeJS.Timeout | undefined;
            const abandoned = new Promise<'abandoned'>((resolve) => {
                timer = setTimeout(() => resolve('abandoned'), CLOSE_TIMEOUT_MS);
            });
            try {
                if (await Promise.race([models.sequelize.close(), abandoned]) === 'abandoned') {
                    server.log(['error', 'database'], `the database did not close within ${CLOSE_TIMEOUT_MS} ms; queries still waiting on it are abandoned`);
                }
            }
            catch (error) {
                // Already closed (or gone): stopping must still finish, so the process can exit.
                server.log(['error', 'database'], `closing the database failed: ${(error as Error).message}`);
            }
            finally {
                clearTimeout(timer);
            }
        });
    },
};
