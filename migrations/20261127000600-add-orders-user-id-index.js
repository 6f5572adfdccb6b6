'use strict';

module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('orders', ['user_id', 'id'], { name: 'orders_user_id_id' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('orders', 'orders_user_id_id');
    },
};
