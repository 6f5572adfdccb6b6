'use strict';

// The upload job's question, every few seconds: which pending shipments are due?
module.exports = {
    async up(queryInterface) {
        await queryInterface.addIndex('shipments', ['upload_state', 'next_attempt_at'], { name: 'shipments_upload_state_next_attempt_at' });
    },

    async down(queryInterface) {
        await queryInterface.removeIndex('shipments', 'shipments_upload_state_next_attempt_at');
    },
};
