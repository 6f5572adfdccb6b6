'use strict';

// Deliveries are now recorded in the same transaction that applies them, so none is left
// `received`: rows still `received` are from requests that died half-way, and say so.
module.exports = {
    async up(queryInterface) {
        await queryInterface.sequelize.query(
            "UPDATE payment_notifications SET outcome = 'interrupted', reason = 'processing was interrupted; WeChat delivered it again' WHERE outcome = 'received'");
    },

    async down(queryInterface) {
        await queryInterface.sequelize.query("UPDATE payment_notifications SET outcome = 'received', reason = NULL WHERE outcome = 'interrupted'");
    },
};
