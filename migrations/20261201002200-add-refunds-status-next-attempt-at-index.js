'use strict';

// The refund job looks for processing refunds due for another attempt or a refundquery.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refunds', ['status', 'next_attempt_at'], { name: 'refunds_status_next_attempt_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refunds', 'refunds_status_next_attempt_at');
    },
};
