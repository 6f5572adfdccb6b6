'use strict';

// The retention purge: unverified rejected deliveries, oldest first.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('payment_notifications', ['outcome', 'id'], { name: 'payment_notifications_outcome_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('payment_notifications', 'payment_notifications_outcome_id');
    },
};
