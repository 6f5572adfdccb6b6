const api = require('../../api');

const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** The notification usually lands within a second or two; GET /orders/{id} also asks WeChat itself. */
const POLL_EVERY_MS = 2000;
const POLL_TIMES = 30;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

Page({
  data: { order: null, totalText: '', paying: false, message: '' },

  async onLoad({ goodsId }) {
    try {
      await getApp().signedIn;
      this.show(await api.createOrder([{ goods_id: Number(goodsId), count: 1 }]));
    } catch (error) {
      this.setData({ message: error.message });
    }
  },

  show(order) {
    this.setData({ order, totalText: yuan(order.total_fee) });
  },

  async pay() {
    const { order } = this.data;
    this.setData({ paying: true, message: '' });
    try {
      const params = await api.payOrder(order.id);
      await new Promise((resolve, reject) => wx.requestPayment({
        timeStamp: params.timeStamp,
        nonceStr: params.nonceStr,
        package: params.package,
        signType: params.signType,
        paySign: params.paySign,
        success: resolve,
        fail: (error) => reject(new Error(error.errMsg)),
      }));
      // requestPayment's success is the client's word; the order is paid when the server says so.
      this.setData({ message: 'Confirming payment…' });
      for (let attempt = 0; attempt < POLL_TIMES; attempt += 1) {
        const latest = await api.getOrder(order.id);
        this.show(latest);
        if (latest.status === 'paid') {
          this.setData({ message: 'Paid' });
          return;
        }
        await sleep(POLL_EVERY_MS);
      }
      this.setData({ message: 'Payment not confirmed yet; check your orders later' });
    } catch (error) {
      this.setData({ message: error.message });
    } finally {
      this.setData({ paying: false });
    }
  },
});
