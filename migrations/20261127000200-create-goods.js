'use strict';

module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('goods', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            shop_id: {
                type: Sequelize.INTEGER,
                allowNull: false,
                references: { model: 'shops', key: 'id' },
                onUpdate: 'CASCADE',
                onDelete: 'RESTRICT',
            },
            name: { type: Sequelize.STRING(255), allowNull: false },
            thumb_url: { type: Sequelize.STRING(512), allowNull: true },
            // Integer fen: money is never a float.
            price: { type: Sequelize.INTEGER, allowNull: false },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('goods');
    },
};
