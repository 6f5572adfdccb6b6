'use strict';

// Orders paid on a Beijing day: the dashboard's takings and the list filtered by paid day.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('orders', ['paid_at'], { name: 'orders_paid_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('orders', 'orders_paid_at');
    },
};
