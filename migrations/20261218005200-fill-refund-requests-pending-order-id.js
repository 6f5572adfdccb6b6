'use strict';

// Requests already pending hold their order's place, the oldest one where a race made several
// (those stay pending, for the merchant to decide, but no longer hold the place).
module.exports = {
    async up(queryInterface) {
        await queryInterface.sequelize.query(
            "UPDATE refund_requests SET pending_order_id = order_id WHERE status = 'pending' AND id IN ("
            + "SELECT id FROM (SELECT MIN(id) AS id FROM refund_requests WHERE status = 'pending' GROUP BY order_id) AS oldest_pending)");
    },

    async down(queryInterface) {
        await queryInterface.sequelize.query('UPDATE refund_requests SET pending_order_id = NULL');
    },
};
