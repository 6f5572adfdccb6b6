'use strict';

// What the merchant shipped, stored before it is uploaded to WeChat's order-shipping service,
// with the upload's progress (pending, uploaded, failed) and WeChat's last word on it. One per
// order (WeChat's unified delivery): a second POST is 409, a correction is a PUT. The unique key
// also serves the foreign key on MySQL, which would otherwise add an index of its own.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.createTable('shipments', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            order_id: { type: Sequelize.INTEGER, allowNull: false, unique: true, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
            logistics_type: { type: Sequelize.STRING(16), allowNull: false },
            express_company: { type: Sequelize.STRING(64), allowNull: true },
            tracking_no: { type: Sequelize.STRING(128), allowNull: true },
            item_desc: { type: Sequelize.STRING(255), allowNull: false },
            revision: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 1 },
            accepted_uploads: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
            upload_state: { type: Sequelize.STRING(16), allowNull: false, defaultValue: 'pending' },
            attempts: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
            next_attempt_at: { type: Sequelize.DATE, allowNull: false },
            claimed_until: { type: Sequelize.DATE, allowNull: true },
            last_errcode: { type: Sequelize.INTEGER, allowNull: true },
            last_errmsg: { type: Sequelize.STRING(255), allowNull: true },
            failure_reason: { type: Sequelize.STRING(255), allowNull: true },
            uploaded_at: { type: Sequelize.DATE, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
            updated_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('shipments');
    },
};
