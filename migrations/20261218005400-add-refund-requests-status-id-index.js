'use strict';

// The merchant's list of refund requests by status, newest first, a page at a time: counted and
// read through this index rather than the whole table.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refund_requests', ['status', 'id'], { name: 'refund_requests_status_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refund_requests', 'refund_requests_status_id');
    },
};
