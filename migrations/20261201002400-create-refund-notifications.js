'use strict';

// Every delivery to the refund notify URL, recorded like payment notifications: an authentic one
// (req_info decrypted with our key) keeps its whole body, anything else a prefix and its hash.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('refund_notifications', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            body: { type: queryInterface.sequelize.getDialect() === 'mysql' ? Sequelize.BLOB('medium') : Sequelize.BLOB, allowNull: true },
            body_bytes: { type: Sequelize.INTEGER, allowNull: true },
            body_sha256: { type: Sequelize.STRING(64), allowNull: true },
            out_trade_no: { type: Sequelize.STRING(64), allowNull: true },
            out_refund_no: { type: Sequelize.STRING(64), allowNull: true },
            decrypted: { type: Sequelize.BOOLEAN, allowNull: false },
            outcome: { type: Sequelize.STRING(16), allowNull: false },
            reason: { type: Sequelize.STRING(255), allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('refund_notifications');
    },
};
