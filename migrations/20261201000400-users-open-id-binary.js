'use strict';

// WeChat's openid: two openids differing in case are two people.
module.exports = require('./support/binary-collation').binaryCollation('users', 'open_id', 'VARCHAR(64) NOT NULL');
