'use strict';

// body holds the delivery now (copied there by 20261201001100).
const restoreOldBodies = {
    sqlite: 'UPDATE payment_notifications SET raw_xml = CAST(body AS TEXT)',
    mysql: 'UPDATE payment_notifications SET raw_xml = CONVERT(body USING utf8mb4)',
};

module.exports = {
    async up(queryInterface) {
        // Plain DROP COLUMN on both: Sequelize's SQLite removeColumn rebuilds the table and loses its indexes.
        await queryInterface.sequelize.query('ALTER TABLE payment_notifications DROP COLUMN raw_xml');
    },

    async down(queryInterface, Sequelize) {
        const dialect = queryInterface.sequelize.getDialect();
        await queryInterface.addColumn('payment_notifications', 'raw_xml', { type: dialect === 'mysql' ? Sequelize.TEXT('medium') : Sequelize.TEXT, allowNull: true });
        await queryInterface.sequelize.query(restoreOldBodies[dialect]);
    },
};
