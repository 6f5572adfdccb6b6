'use strict';

// A failed day is not tried again by the daily job before this (its back-off).
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('reconciliation_reports', 'next_attempt_at', { type: Sequelize.DATE, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('reconciliation_reports', 'next_attempt_at');
    },
};
