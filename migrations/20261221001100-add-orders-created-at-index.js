'use strict';

// The console's order list of one Beijing day (by when the order was placed).
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('orders', ['created_at'], { name: 'orders_created_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('orders', 'orders_created_at');
    },
};
