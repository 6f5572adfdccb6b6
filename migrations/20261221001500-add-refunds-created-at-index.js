'use strict';

// The refunds asked for on a Beijing day (the dashboard).
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('refunds', ['created_at'], { name: 'refunds_created_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('refunds', 'refunds_created_at');
    },
};
