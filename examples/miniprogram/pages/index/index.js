const api = require('../../api');

/** Price in fen → "4.90" (yuan). Money stays integer fen everywhere else. */
const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

Page({
  data: { shop: null, goods: [], error: '' },

  async onLoad() {
    try {
      await getApp().signedIn;
      const shops = await api.listShops();
      const shop = shops.results[0];
      const goods = await api.listGoods(shop.id);
      this.setData({ shop, goods: goods.results.map((item) => ({ ...item, priceText: yuan(item.price) })) });
    } catch (error) {
      this.setData({ error: error.message });
    }
  },

  buy(event) {
    wx.navigateTo({ url: `/pages/order/order?goodsId=${event.currentTarget.dataset.id}` });
  },
});
