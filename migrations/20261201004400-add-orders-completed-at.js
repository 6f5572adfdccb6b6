'use strict';

// When receipt was confirmed, by the shopper or by the auto-receive job.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('orders', 'completed_at', { type: Sequelize.DATE, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('orders', 'completed_at');
    },
};
