'use strict';

// POST /orders/{id}/pay holds the order until then while it asks WeChat for a prepay, so
// concurrent taps (on any instance) share one unifiedorder instead of each placing one.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('orders', 'pay_claimed_until', { type: Sequelize.DATE, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('orders', 'pay_claimed_until');
    },
};
