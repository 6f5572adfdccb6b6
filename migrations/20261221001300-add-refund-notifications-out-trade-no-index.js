'use strict';

// An order's refund notifications, for its page in the console.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refund_notifications', ['out_trade_no'], { name: 'refund_notifications_out_trade_no' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refund_notifications', 'refund_notifications_out_trade_no');
    },
};
