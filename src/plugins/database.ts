import type { Plugin } from '@hapi/hapi';

import type { AppConfig } from '../config';
import { migrate } from '../db/migrator';
import { prepareDatabase } from '../db/sequelize';
import type { Models } from '../models';

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
            try {
                await models.sequelize.close();
            }
            catch (error) {
                // Already closed (or gone): stopping must still finish, so the process can exit.
                server.log(['error', 'database'], `closing the database failed: ${(error as Error).message}`);
            }
        });
    },
};
