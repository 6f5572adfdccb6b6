'use strict';

// An order's refunds are summed on every new refund of it.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refunds', ['order_id'], { name: 'refunds_order_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refunds', 'refunds_order_id');
    },
};
