'use strict';

// The auto-receive job's question: which shipped orders were shipped before the cut-off?
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('orders', ['status', 'shipped_at'], { name: 'orders_status_shipped_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('orders', 'orders_status_shipped_at');
    },
};
