'use strict';

// The audit trail: every write to the merchant API, by a staff member or the API key, with the
// request id, the outcome and the subject before and after. Append-only: no route changes or
// deletes a row (no updated_at either).
module.exports = {
    async up(queryInterface, Sequelize) {
        const text = queryInterface.sequelize.getDialect() === 'mysql' ? Sequelize.TEXT('medium') : Sequelize.TEXT;
        await queryInterface.createTable('audit_events', {
            id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
            actor_kind: { type: Sequelize.STRING(16), allowNull: false },
            staff_id: { type: Sequelize.INTEGER, allowNull: true },
            staff_name: { type: Sequelize.STRING(32), allowNull: true },
            action: { type: Sequelize.STRING(160), allowNull: false },
            path: { type: Sequelize.STRING(255), allowNull: false },
            subject_type: { type: Sequelize.STRING(32), allowNull: true },
            subject_id: { type: Sequelize.STRING(64), allowNull: true },
            request_id: { type: Sequelize.STRING(64), allowNull: false },
            status_code: { type: Sequelize.INTEGER, allowNull: false },
            ip: { type: Sequelize.STRING(64), allowNull: true },
            before: { type: text, allowNull: true },
            after: { type: text, allowNull: true },
            created_at: { type: Sequelize.DATE, allowNull: false },
        });
    },

    async down(queryInterface) {
        await queryInterface.dropTable('audit_events');
    },
};
