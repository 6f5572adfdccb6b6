'use strict';

// How long the delivered body was, also when only its prefix is kept.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('payment_notifications', 'body_bytes', { type: Sequelize.INTEGER, allowNull: true });
        await queryInterface.sequelize.query('UPDATE payment_notifications SET body_bytes = LENGTH(body)');
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('payment_notifications', 'body_bytes');
    },
};
