'use strict';

// Our refund number, as WeChat echoes it in every refund notification.
module.exports = require('./support/binary-collation').binaryCollation('refunds', 'out_refund_no', 'VARCHAR(64) NOT NULL');
