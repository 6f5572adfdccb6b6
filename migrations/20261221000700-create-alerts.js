'use strict';

// The alert.* events the app logs (reconciliation discrepancies, a refund WeChat made that the
// order cannot hold, an access token refused…), kept where the console can read them. Bounded:
// the oldest rows go past a fixed count.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('alerts', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            event: { type: Sequelize.STRING(64), allowNull: false },
            kind: { type: Sequelize.STRING(64), allowNull: true },
            message: { type: Sequelize.STRING(512), allowNull: false },
            details: { type: Sequelize.TEXT, allowNull: false },
            request_id: { type: Sequelize.STRING(64), allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('alerts');
    },
};
