// Where the shop API runs. In WeChat DevTools against `npm start`, tick
// "Does not verify valid domain names" (不校验合法域名) in Details → Local Settings.
module.exports = {
  API_BASE: 'http://127.0.0.1:3000',
};
