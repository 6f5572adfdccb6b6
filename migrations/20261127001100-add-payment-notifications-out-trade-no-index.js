'use strict';

module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('payment_notifications', ['out_trade_no'], { name: 'payment_notifications_out_trade_no' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('payment_notifications', 'payment_notifications_out_trade_no');
    },
};
