'use strict';

// The SHA-256 of the whole delivered body: identifies a delivery whose body was not kept.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('payment_notifications', 'body_sha256', { type: Sequelize.STRING(64), allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('payment_notifications', 'body_sha256');
    },
};
