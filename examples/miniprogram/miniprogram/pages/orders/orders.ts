import { listOrders } from '../../services/orders';
import { wordsOf } from '../../services/request';
import { orderSummary, type OrderSummary } from '../../utils/order-view';

Component({
  data: { orders: [] as OrderSummary[], page: 0, totalCount: 0, loaded: false, message: '' },
  methods: {
    /** A tab page: read again whenever it shows (an order may have been paid or placed meanwhile). */
    onShow() {
      return this.load(1);
    },

    async onPullDownRefresh() {
      await this.load(1);
      wx.stopPullDownRefresh();
    },

    onReachBottom() {
      return this.data.orders.length < this.data.totalCount ? this.load(this.data.page + 1) : undefined;
    },

    async load(page: number) {
      try {
        const { results, totalCount } = await listOrders(page);
        const earlier = page === 1 ? [] : this.data.orders;
        this.setData({ orders: earlier.concat(results.map(orderSummary)), page, totalCount, loaded: true, message: '' });
      }
      catch (error) {
        this.setData({ message: wordsOf(error) });
      }
    },

    openOrder(event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { id: number }>) {
      wx.navigateTo({ url: `/pages/order/order?id=${event.currentTarget.dataset.id}` });
    },
  },
});
