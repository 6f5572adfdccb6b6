'use strict';

module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('users', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            open_id: { type: Sequelize.STRING(64), allowNull: false, unique: true },
            session_key: { type: Sequelize.STRING(64), allowNull: true },
            nick_name: { type: Sequelize.STRING(255), allowNull: true },
            avatar_url: { type: Sequelize.STRING(512), allowNull: true },
            gender: { type: Sequelize.TINYINT, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('users');
    },
};
