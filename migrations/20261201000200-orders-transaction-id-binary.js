'use strict';

// WeChat's payment id: one payment, one order.
module.exports = require('./support/binary-collation').binaryCollation('orders', 'transaction_id', 'VARCHAR(32) NULL');
