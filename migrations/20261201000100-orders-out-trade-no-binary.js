'use strict';

// Our order number, as WeChat echoes it in every notification.
module.exports = require('./support/binary-collation').binaryCollation('orders', 'out_trade_no', 'VARCHAR(32) NOT NULL');
