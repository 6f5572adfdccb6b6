'use strict';

// A shopper's order view lists its requests; the merchant lists them by status.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refund_requests', ['order_id'], { name: 'refund_requests_order_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refund_requests', 'refund_requests_order_id');
    },
};
