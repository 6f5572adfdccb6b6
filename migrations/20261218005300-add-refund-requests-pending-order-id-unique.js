'use strict';

// At most one pending request per order: the second insert fails (NULLs, decided requests, never collide).
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refund_requests', ['pending_order_id'], { name: 'refund_requests_pending_order_id_unique', unique: true });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refund_requests', 'refund_requests_pending_order_id_unique');
    },
};
