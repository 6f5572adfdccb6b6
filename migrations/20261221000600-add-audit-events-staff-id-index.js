'use strict';

// What one staff member did, newest first.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('audit_events', ['staff_id', 'id'], { name: 'audit_events_staff_id_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('audit_events', 'audit_events_staff_id_id');
    },
};
