'use strict';

// An order's refunds are summed on every new refund of it.
// MySQL indexes a foreign key's column itself (and cannot drop that index under the key); SQLite does not.
const indexedByForeignKey = (queryInterface) => queryInterface.sequelize.getDialect() === 'mysql';

module.exports = {
    async up(queryInterface) {
        if (indexedByForeignKey(queryInterface)) {
            return;
        }
        await queryInterface.addIndex('refunds', ['order_id'], { name: 'refunds_order_id' });
    },

    async down(queryInterface) {
        if (indexedByForeignKey(queryInterface)) {
            return;
        }
        await queryInterface.removeIndex('refunds', 'refunds_order_id');
    },
};
