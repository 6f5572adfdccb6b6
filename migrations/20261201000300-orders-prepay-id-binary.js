'use strict';

// WeChat's prepay id, handed to wx.requestPayment.
module.exports = require('./support/binary-collation').binaryCollation('orders', 'prepay_id', 'VARCHAR(64) NULL');
