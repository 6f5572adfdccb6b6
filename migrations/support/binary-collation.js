'use strict';

// A payment identifier compares exactly: under the database's utf8mb4_unicode_ci, 'ABC' and
// 'abc' (or 'a' and 'ä') would be one out_trade_no, and a lookup could find another order.
// MySQL / MariaDB only: SQLite compares text byte for byte already. `down` returns the column
// to the table's default collation. Indexes on the column are kept (MODIFY rebuilds them).

/**
 * @param {string} table
 * @param {string} column
 * @param {string} definition the column's type and nullability, as created, e.g. 'VARCHAR(32) NOT NULL'
 */
function binaryCollation(table, column, definition) {
    const modify = (queryInterface, collation) => {
        if (queryInterface.sequelize.getDialect() !== 'mysql') {
            return Promise.resolve();
        }
        const [type, ...rest] = definition.split(' ');
        return queryInterface.sequelize.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` ${type} ${collation} ${rest.join(' ')}`.trim());
    };
    return {
        up: (queryInterface) => modify(queryInterface, 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'),
        down: (queryInterface) => modify(queryInterface, ''),
    };
}

module.exports = { binaryCollation };
