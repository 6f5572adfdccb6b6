'use strict';

// One report per day, whichever instance makes it: the second insert of a day fails.
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('reconciliation_reports', ['bill_date'], { name: 'reconciliation_reports_bill_date_unique', unique: true });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('reconciliation_reports', 'reconciliation_reports_bill_date_unique');
    },
};
