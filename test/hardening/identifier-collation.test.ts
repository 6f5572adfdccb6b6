import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { QueryTypes, type Sequelize } from 'sequelize';

import { loadConfig } from '../../src/config';
import { migrate } from '../../src/db/migrator';
import { createSequelize } from '../../src/db/sequelize';
import { createMysqlDatabase, type TestDatabase } from '../helpers/databases';

// On a database created as README says (utf8mb4_unicode_ci), payment identifiers still compare
// exactly: 'ABC' and 'abc' are two orders, and a lookup by one never finds the other.

const MYSQL_URL = process.env.TEST_MYSQL_URL;
const IDENTIFIERS = [
    ['orders', 'out_trade_no'],
    ['orders', 'transaction_id'],
    ['orders', 'prepay_id'],
    ['users', 'open_id'],
    ['payment_notifications', 'out_trade_no'],
    ['payment_notifications', 'transaction_id'],
    ['refunds', 'out_refund_no'],
] as const;

describe('identifier columns on MariaDB', { skip: MYSQL_URL ? false : 'TEST_MYSQL_URL is unset' }, () => {
    let database: TestDatabase;
    let sequelize: Sequelize;

    const collations = async () => sequelize.query<{ table: string; column: string; collation: string }>(
        `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\`, COLLATION_NAME AS collation FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME, COLUMN_NAME) IN (${IDENTIFIERS.map(() => '(?, ?)').join(', ')}) ORDER BY TABLE_NAME, COLUMN_NAME`,
        { replacements: IDENTIFIERS.flat(), type: QueryTypes.SELECT });

    before(async () => {
        database = await createMysqlDatabase(MYSQL_URL!);
        sequelize = createSequelize(loadConfig({ DATABASE_URL: database.url }).database);
        await migrate(sequelize);
    });

    after(async () => {
        await sequelize?.close();
        await database?.drop();
    });

    it('are utf8mb4_bin, in a database whose default is utf8mb4_unicode_ci', async () => {
        const [{ collation }] = await sequelize.query<{ collation: string }>('SELECT @@collation_database AS collation', { type: QueryTypes.SELECT });
        assert.equal(collation, 'utf8mb4_unicode_ci');
        assert.deepEqual(new Set((await collations()).map((row) => row.collation)), new Set(['utf8mb4_bin']));
        assert.equal((await collations()).length, IDENTIFIERS.length);
    });

    it("keep 'ABC' and 'abc' as two orders, each found only by its own out_trade_no", async () => {
        const [userId] = await sequelize.query("INSERT INTO users (open_id, created_at, updated_at) VALUES ('oCase', NOW(), NOW())", { type: QueryTypes.INSERT });
        for (const outTradeNo of ['ABC', 'abc']) {
            await sequelize.query('INSERT INTO orders (user_id, out_trade_no, total_fee, status, expires_at, created_at, updated_at) VALUES (?, ?, 100, \'unpaid\', NOW(), NOW(), NOW())',
                { replacements: [userId, outTradeNo], type: QueryTypes.INSERT });
        }
        const found = await sequelize.query<{ out_trade_no: string }>("SELECT out_trade_no FROM orders WHERE out_trade_no = 'abc'", { type: QueryTypes.SELECT });
        assert.deepEqual(found, [{ out_trade_no: 'abc' }]);
    });

    it("keep 'oAlice' and 'oalice' as two users", async () => {
        await sequelize.query("INSERT INTO users (open_id, created_at, updated_at) VALUES ('oAlice', NOW(), NOW()), ('oalice', NOW(), NOW())");
        const found = await sequelize.query("SELECT open_id FROM users WHERE open_id = 'oalice'", { type: QueryTypes.SELECT });
        assert.deepEqual(found, [{ open_id: 'oalice' }]);
    });

    it("go back to the table's default collation when the migrations are undone, one at a time", async () => {
        await sequelize.query("DELETE FROM orders WHERE out_trade_no = 'abc'");
        await sequelize.query("DELETE FROM users WHERE open_id = 'oalice'");
        const queryInterface = sequelize.getQueryInterface();
        for (const name of [
            '20261201002300-refunds-out-refund-no-binary.js',
            '20261201000600-payment-notifications-transaction-id-binary.js',
            '20261201000500-payment-notifications-out-trade-no-binary.js',
            '20261201000400-users-open-id-binary.js',
            '20261201000300-orders-prepay-id-binary.js',
            '20261201000200-orders-transaction-id-binary.js',
            '20261201000100-orders-out-trade-no-binary.js',
        ]) {
            await (require(`../../migrations/${name}`) as { down(queryInterface: unknown): Promise<void> }).down(queryInterface);
        }
        assert.deepEqual(new Set((await collations()).map((row) => row.collation)), new Set(['utf8mb4_unicode_ci']));
        const nullable = await sequelize.query<{ column: string; nullable: string }>(
            "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS `column`, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN ('out_trade_no', 'open_id') ORDER BY 1",
            { type: QueryTypes.SELECT });
        assert.deepEqual(nullable, [
            { column: 'orders.out_trade_no', nullable: 'NO' },
            { column: 'payment_notifications.out_trade_no', nullable: 'YES' },
            { column: 'refund_notifications.out_trade_no', nullable: 'YES' },
            { column: 'users.open_id', nullable: 'NO' },
        ]);
    });
});
