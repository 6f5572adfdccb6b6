'use strict';

// A refund is now stored already due for the refund job. One stored before that and whose
// creating request died before WeChat's answer was recorded is processing with neither a
// refund_id nor a next_attempt_at: no job would ever act on it, while it still counts against
// what is left to refund. Made due, the job looks it up with refundquery (when a call may have
// reached WeChat) and asks for it again with the same out_refund_no only if WeChat has none.
module.exports = {
    async up(queryInterface) {
        // Due since it was stored (created_at is in the format each dialect's driver reads back as a date).
        await queryInterface.sequelize.query(
            "UPDATE refunds SET next_attempt_at = created_at WHERE status = 'processing' AND refund_id IS NULL AND next_attempt_at IS NULL");
    },

    // Nothing to undo: which rows were stranded is not recorded, and stranding them again would
    // only bring the bug back. The rows stay due; the code before this migration retries due rows too.
    async down() {},
};
