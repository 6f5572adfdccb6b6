// Where the shop API runs, and how patiently the pages wait for it. In WeChat DevTools against
// `npm start`, tick "Does not verify valid domain names" (不校验合法域名) in Details → Local Settings.
export const config = {
  apiBase: 'http://127.0.0.1:3000',
  /** wx.request's timeout; the API answers within WX_HTTP_TIMEOUT_MS even when WeChat does not. */
  requestTimeoutMs: 15000,
  /** After wx.requestPayment: read the order this often, this many times, until the server says paid. */
  paymentPoll: { everyMs: 2000, times: 30 },
};
