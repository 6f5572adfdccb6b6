'use strict';

module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('order_goods', ['order_id'], { name: 'order_goods_order_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('order_goods', 'order_goods_order_id');
    },
};
