import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';

/**
 * `work` on a fresh SQLite file, then on a fresh database of the MySQL server at `mysqlUrl`
 * (BENCH_MYSQL_URL) when one is given; each dropped after its turn.
 */
export async function onEachDatabase<T>(mysqlUrl: string | undefined, work: (database: TestDatabase) => Promise<T>): Promise<T[]> {
    const makers: Array<() => Promise<TestDatabase>> = [createSqliteDatabase];
    if (mysqlUrl) {
        makers.push(() => createMysqlDatabase(mysqlUrl));
    }
    const results: T[] = [];
    for (const make of makers) {
        const database = await make();
        try {
            results.push(await work(database));
        }
        finally {
            await database.drop();
        }
    }
    return results;
}
