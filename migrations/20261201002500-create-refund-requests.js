'use strict';

// A shopper's request for their money back, for the merchant to grant (with a refund) or decline (with a note).
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('refund_requests', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            order_id: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' } },
            reason: { type: Sequelize.STRING(200), allowNull: false },
            status: { type: Sequelize.STRING(16), allowNull: false, defaultValue: 'pending' },
            note: { type: Sequelize.STRING(200), allowNull: true },
            refund_id: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'refunds', key: 'id' } },
            decided_at: { type: Sequelize.DATE, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('refund_requests');
    },
};
