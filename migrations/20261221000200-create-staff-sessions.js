'use strict';

// One row per staff sign-in. The sealed cookie carries a random token; only its SHA-256 is
// stored, so the table read by someone else opens no session. Ending a row (sign-out, sign-out
// everywhere, the member disabled) ends that session on its next request.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('staff_sessions', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            // No foreign key: staff are never deleted, and MySQL would tie the index below to it (its down could not drop it).
            staff_id: { type: Sequelize.INTEGER, allowNull: false },
            token_sha256: { type: Sequelize.STRING(64), allowNull: false, unique: true },
            last_seen_at: { type: Sequelize.DATE, allowNull: false },
            ended_at: { type: Sequelize.DATE, allowNull: true },
            ended_because: { type: Sequelize.STRING(32), allowNull: true },
            ip: { type: Sequelize.STRING(64), allowNull: true },
            user_agent: { type: Sequelize.STRING(255), allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('staff_sessions');
    },
};
