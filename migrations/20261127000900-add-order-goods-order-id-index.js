'use strict';

// MySQL indexes a foreign key's column itself (and InnoDB's secondary indexes end with the
// primary key, so that index already serves "by parent, ordered by id"); SQLite does not.
const indexedByForeignKey = (queryInterface) => queryInterface.sequelize.getDialect() === 'mysql';

module.exports = {
    async up(queryInterface) {
        if (indexedByForeignKey(queryInterface)) {
            return;
        }
        await queryInterface.addIndex('order_goods', ['order_id'], { name: 'order_goods_order_id' });
    },

    async down(queryInterface) {
        if (indexedByForeignKey(queryInterface)) {
            return;
        }
        await queryInterface.removeIndex('order_goods', 'order_goods_order_id');
    },
};
