'use strict';

// Uploads used to be marked failed when stable_token refused the access token (a rotated
// AppSecret, an IP off the whitelist…), judged by the upload's own errcode table: those
// shipments never reached WeChat, and under its order-shipping management the shop is not paid
// for them. They are pending again, due now, and are uploaded once a token can be had.
const STABLE_TOKEN_REFUSALS = [40002, 40013, 40125, 40164, 40243, 41002, 41004, 45009, 89501, 89503, 89506, 89507];

module.exports = {
    async up(queryInterface) {
        await queryInterface.sequelize.query(
            `UPDATE shipments SET upload_state = 'pending', attempts = 0, next_attempt_at = ?, claimed_until = NULL,
                failure_reason = 'held: WeChat refused the access token; uploaded once a token can be had'
             WHERE upload_state = 'failed' AND last_errcode IN (${STABLE_TOKEN_REFUSALS.join(', ')})`,
            { replacements: [new Date()] });
    },

    // Nothing to undo: a shipment uploaded since is rightly uploaded, and one still pending would only fail again.
    async down() {},
};
