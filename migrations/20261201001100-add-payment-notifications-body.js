'use strict';

// The delivery's bytes exactly as they arrived (raw_xml held them decoded as UTF-8, which
// is neither exact nor bounded): the whole body once verified, a short prefix otherwise.
const copyOldBodies = {
    sqlite: 'UPDATE payment_notifications SET body = CAST(raw_xml AS BLOB)',
    mysql: 'UPDATE payment_notifications SET body = CAST(raw_xml AS BINARY)',
};

module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('payment_notifications', 'body', { type: Sequelize.BLOB, allowNull: true });
        await queryInterface.sequelize.query(copyOldBodies[queryInterface.sequelize.getDialect()]);
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('payment_notifications', 'body');
    },
};
