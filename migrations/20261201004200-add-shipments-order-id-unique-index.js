'use strict';

// One shipment per order (WeChat's unified delivery): a second POST is 409, a correction is a PUT.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('shipments', ['order_id'], { name: 'shipments_order_id_unique', unique: true });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('shipments', 'shipments_order_id_unique');
    },
};
