'use strict';

// The reconciler's query: unpaid orders by age of their prepay.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('orders', ['status', 'prepay_at'], { name: 'orders_status_prepay_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('orders', 'orders_status_prepay_at');
    },
};
