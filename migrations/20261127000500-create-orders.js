'use strict';

module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('orders', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            user_id: {
                type: Sequelize.INTEGER,
                allowNull: false,
                references: { model: 'users', key: 'id' },
                onUpdate: 'CASCADE',
                onDelete: 'RESTRICT',
            },
            out_trade_no: { type: Sequelize.STRING(32), allowNull: false, unique: true },
            // Integer fen.
            total_fee: { type: Sequelize.INTEGER, allowNull: false },
            status: { type: Sequelize.STRING(16), allowNull: false, defaultValue: 'unpaid' },
            transaction_id: { type: Sequelize.STRING(32), allowNull: true, unique: true },
            paid_at: { type: Sequelize.DATE, allowNull: true },
            prepay_id: { type: Sequelize.STRING(64), allowNull: true },
            prepay_at: { type: Sequelize.DATE, allowNull: true },
            prepay_sign_type: { type: Sequelize.STRING(16), allowNull: true },
            expires_at: { type: Sequelize.DATE, allowNull: false },
            queried_at: { type: Sequelize.DATE, allowNull: true },
            claimed_until: { type: Sequelize.DATE, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('orders');
    },
};
