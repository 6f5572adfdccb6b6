'use strict';

// A shopper's order view lists its requests; the merchant lists them by status.
// MySQL indexes a foreign key's column itself (and cannot drop that index under the key); SQLite does not.
const indexedByForeignKey = (queryInterface) => queryInterface.sequelize.getDialect() === 'mysql';

module.exports = {
    async up(queryInterface) {
        if (indexedByForeignKey(queryInterface)) {
            return;
        }
        await queryInterface.addIndex('refund_requests', ['order_id'], { name: 'refund_requests_order_id' });
    },

    async down(queryInterface) {
        if (indexedByForeignKey(queryInterface)) {
            return;
        }
        await queryInterface.removeIndex('refund_requests', 'refund_requests_order_id');
    },
};
