'use strict';

// Every refund, stored before WeChat is asked, so a crash between the two leaves a row to retry
// with the same out_refund_no (WeChat refunds once per out_refund_no).
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('refunds', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            order_id: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' } },
            out_refund_no: { type: Sequelize.STRING(64), allowNull: false, unique: true },
            refund_fee: { type: Sequelize.INTEGER, allowNull: false },
            total_fee: { type: Sequelize.INTEGER, allowNull: false },
            reason: { type: Sequelize.STRING(80), allowNull: true },
            status: { type: Sequelize.STRING(16), allowNull: false, defaultValue: 'processing' },
            refund_id: { type: Sequelize.STRING(64), allowNull: true },
            failure_code: { type: Sequelize.STRING(32), allowNull: true },
            failure_message: { type: Sequelize.STRING(255), allowNull: true },
            source: { type: Sequelize.STRING(24), allowNull: false, defaultValue: 'api' },
            attempts: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
            next_attempt_at: { type: Sequelize.DATE, allowNull: true },
            claimed_until: { type: Sequelize.DATE, allowNull: true },
            queried_at: { type: Sequelize.DATE, allowNull: true },
            accepted_at: { type: Sequelize.DATE, allowNull: true },
            succeeded_at: { type: Sequelize.DATE, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('refunds');
    },
};
