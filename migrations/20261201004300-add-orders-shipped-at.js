'use strict';

// When the order was shipped: ORDER_AUTO_RECEIVE_DAYS count from here.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('orders', 'shipped_at', { type: Sequelize.DATE, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('orders', 'shipped_at');
    },
};
