'use strict';

// The console's order list filtered by status, newest first, a page (keyset on id) at a time:
// one range of this index, however many orders there are.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('orders', ['status', 'id'], { name: 'orders_status_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('orders', 'orders_status_id');
    },
};
