'use strict';

// One row per Beijing day: WeChat's bill compared with our orders and refunds.
module.exports = {
    async up(queryInterface, Sequelize) {
        const count = { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 };
        await queryInterface.createTable('reconciliation_reports', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            bill_date: { type: Sequelize.STRING(10), allowNull: false },
            status: { type: Sequelize.STRING(16), allowNull: false },
            claimed_until: { type: Sequelize.DATE, allowNull: true },
            bill_payments: count,
            bill_refunds: count,
            our_payments: count,
            our_refunds: count,
            discrepancy_count: count,
            // MEDIUMTEXT on MySQL: a bad day's list outgrows TEXT's 64 KB; SQLite has one TEXT.
            discrepancies: { type: queryInterface.sequelize.getDialect() === 'mysql' ? Sequelize.TEXT('medium') : Sequelize.TEXT, allowNull: false },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('reconciliation_reports');
    },
};
