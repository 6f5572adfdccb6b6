'use strict';

// WeChat's access token for this app, one row per appid, shared by every instance: the one that
// wins a conditional UPDATE of refresh_claimed_until fetches it, the others read it here.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('wechat_access_tokens', {
            app_id: { type: Sequelize.STRING(32), primaryKey: true, allowNull: false },
            access_token: { type: Sequelize.STRING(512), allowNull: true },
            expires_at: { type: Sequelize.DATE, allowNull: true },
            refresh_claimed_until: { type: Sequelize.DATE, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('wechat_access_tokens');
    },
};
