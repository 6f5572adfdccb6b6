import path from 'node:path';

import { Sequelize } from 'sequelize';
import { memoryStorage, SequelizeStorage, Umzug } from 'umzug';

/** The folder holding migrations/ and seeders/: the project root, or dist/ for the build (which copies them). */
const MIGRATIONS_ROOT = path.resolve(__dirname, '..', '..');

interface MigrationModule {
    up(queryInterface: unknown, sequelize: typeof Sequelize): Promise<void>;
    down(queryInterface: unknown, sequelize: typeof Sequelize): Promise<void>;
}

function umzugFor(sequelize: Sequelize, folder: 'migrations' | 'seeders', tracked: boolean): Umzug<object> {
    return new Umzug({
        migrations: {
            glob: ['*.js', { cwd: path.join(MIGRATIONS_ROOT, folder) }],
            resolve: ({ name, path: file }) => {
                const migration = require(file!) as MigrationModule;
                const queryInterface = sequelize.getQueryInterface();
                return { name, up: () => migration.up(queryInterface, Sequelize), down: () => migration.down(queryInterface, Sequelize) };
            },
        },
        // sequelize-cli's own table, so `npm run db:migrate` and the app agree on what ran.
        // Seeders are not tracked, as with sequelize-cli's default.
        storage: tracked ? new SequelizeStorage({ sequelize, tableName: 'SequelizeMeta' }) : memoryStorage(),
        logger: undefined,
    });
}

/**
 * Runs pending migrations; on a database that had none applied, also the seeders.
 * Returns the names of the migrations it ran.
 */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
    const migrations = umzugFor(sequelize, 'migrations', true);
    const wasEmpty = (await migrations.executed()).length === 0;
    const ran = await migrations.up();
    if (wasEmpty && ran.length > 0) {
        await umzugFor(sequelize, 'seeders', false).up();
    }
    return ran.map((migration) => migration.name);
}

export async function undoAllMigrations(sequelize: Sequelize): Promise<void> {
    await umzugFor(sequelize, 'migrations', true).down({ to: 0 });
}
