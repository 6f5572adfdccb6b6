'use strict';

// The notification log filtered by outcome, newest first.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refund_notifications', ['outcome', 'id'], { name: 'refund_notifications_outcome_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refund_notifications', 'refund_notifications_outcome_id');
    },
};
