'use strict';

module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('goods', ['shop_id', 'id'], { name: 'goods_shop_id_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('goods', 'goods_shop_id_id');
    },
};
