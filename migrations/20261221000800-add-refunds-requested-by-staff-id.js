'use strict';

// The staff member who asked for a refund (null: the API key, or before staff existed): a refund
// that waits for approval is approved by someone else.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('refunds', 'requested_by_staff_id', { type: Sequelize.INTEGER, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('refunds', 'requested_by_staff_id');
    },
};
