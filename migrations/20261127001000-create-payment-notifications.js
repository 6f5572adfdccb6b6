'use strict';

// Every delivery to the notify URL, stored before it may change an order.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('payment_notifications', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            // MEDIUMTEXT on MySQL, where a 64 KB body would not fit a TEXT column; SQLite has one TEXT.
            raw_xml: { type: queryInterface.sequelize.getDialect() === 'mysql' ? Sequelize.TEXT('medium') : Sequelize.TEXT, allowNull: false },
            out_trade_no: { type: Sequelize.STRING(64), allowNull: true },
            transaction_id: { type: Sequelize.STRING(64), allowNull: true },
            signature_valid: { type: Sequelize.BOOLEAN, allowNull: true },
            outcome: { type: Sequelize.STRING(16), allowNull: false, defaultValue: 'received' },
            reason: { type: Sequelize.STRING(255), allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('payment_notifications');
    },
};
