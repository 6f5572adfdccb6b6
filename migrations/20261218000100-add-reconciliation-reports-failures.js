'use strict';

// How many attempts in a row failed to make the day's report: instances share the count, and
// the daily job backs off and raises an alert by it.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('reconciliation_reports', 'failures', { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('reconciliation_reports', 'failures');
    },
};
