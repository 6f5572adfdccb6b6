'use strict';
// sequelize-cli's configuration (npm run db:migrate, db:seed, db:migrate:undo).
require('dotenv').config({ quiet: true });
const { databaseFromEnv } = require('./database');

const location = databaseFromEnv(process.env);
const options = { ...location, logging: false, define: { underscored: true } };

module.exports = { development: options, test: options, production: options };
