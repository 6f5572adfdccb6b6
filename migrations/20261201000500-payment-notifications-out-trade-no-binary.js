'use strict';

// The order number a delivery names, as received.
module.exports = require('./support/binary-collation').binaryCollation('payment_notifications', 'out_trade_no', 'VARCHAR(64) NULL');
