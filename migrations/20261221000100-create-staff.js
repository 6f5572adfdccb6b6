'use strict';

// The people who run the shop: a name to sign in with, an argon2id hash of their password, a
// role (owner, operator, finance). Never deleted: a member who leaves is disabled, so the audit
// trail keeps naming them.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('staff', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            name: { type: Sequelize.STRING(32), allowNull: false, unique: true },
            password_hash: { type: Sequelize.STRING(255), allowNull: false },
            role: { type: Sequelize.STRING(16), allowNull: false },
            password_change_required: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false },
            disabled_at: { type: Sequelize.DATE, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('staff');
    },
};
