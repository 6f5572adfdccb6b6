'use strict';

// Why the last failed attempt failed, in WeChat's or our words.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('reconciliation_reports', 'last_error', { type: Sequelize.STRING(500), allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('reconciliation_reports', 'last_error');
    },
};
