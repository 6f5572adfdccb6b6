'use strict';

// The payment id a delivery names, as received.
module.exports = require('./support/binary-collation').binaryCollation('payment_notifications', 'transaction_id', 'VARCHAR(64) NULL');
