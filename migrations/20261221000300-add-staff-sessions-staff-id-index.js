'use strict';

// A member's sessions, ended all at once (sign-out everywhere, disabling): read through this
// index. On MySQL it also takes over from the index the foreign key made for itself.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('staff_sessions', ['staff_id', 'ended_at'], { name: 'staff_sessions_staff_id_ended_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('staff_sessions', 'staff_sessions_staff_id_ended_at');
    },
};
