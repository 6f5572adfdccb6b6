// Every call this mini-program makes to the shop API, in one place (a test checks each
// method and path against the API's /swagger.json).
const { API_BASE } = require('./config');

function request(method, path, data) {
  const token = wx.getStorageSync('token');
  return new Promise((resolve, reject) => {
    wx.request({
      url: API_BASE + path,
      method,
      data,
      header: token ? { Authorization: 'Bearer ' + token } : {},
      success(response) {
        if (response.statusCode >= 200 && response.statusCode < 300) {
          resolve(response.data);
        } else {
          // Every error is { statusCode, error, message }; the message names what was wrong.
          reject(new Error((response.data && response.data.message) || 'HTTP ' + response.statusCode));
        }
      },
      fail(error) {
        reject(new Error(error.errMsg));
      },
    });
  });
}

module.exports = {
  /** wx.login's code → { token, userId } */
  login: (code) => request('POST', '/users/wxLogin', { code }),
  listShops: () => request('GET', '/shops'),
  listGoods: (shopId) => request('GET', `/shops/${shopId}/goods`),
  /** goodsList: [{ goods_id, count }]; the total is computed by the server from its prices. */
  createOrder: (goodsList) => request('POST', '/orders', { goodsList }),
  getOrder: (orderId) => request('GET', `/orders/${orderId}`),
  /** The object to pass to wx.requestPayment. */
  payOrder: (orderId) => request('POST', `/orders/${orderId}/pay`),
};
