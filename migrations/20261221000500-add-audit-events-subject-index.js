'use strict';

// What happened to one subject (an order, a refund, a staff member), newest first.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('audit_events', ['subject_type', 'subject_id', 'id'], { name: 'audit_events_subject_type_subject_id_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('audit_events', 'audit_events_subject_type_subject_id_id');
    },
};
