'use strict';

// The staff member who approved (or declined) a refund that waited for approval.
module.exports = {
    async up(queryInterface, Sequelize) {
        await queryInterface.addColumn('refunds', 'reviewed_by_staff_id', { type: Sequelize.INTEGER, allowNull: true });
    },

    async down(queryInterface) {
        await queryInterface.removeColumn('refunds', 'reviewed_by_staff_id');
    },
};
