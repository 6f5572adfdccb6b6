'use strict';

// The order a request is pending on, NULL once it is decided: unique (next migrations), so an
// order has at most one pending request however many shoppers' taps arrive at once, on any node.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('refund_requests', 'pending_order_id', { type: Sequelize.INTEGER, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('refund_requests', 'pending_order_id');
    },
};
