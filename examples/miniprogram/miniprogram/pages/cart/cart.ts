import { cartLines, emptyCart, setCount, type CartLine } from '../../services/cart';
import { placeOrder } from '../../services/orders';
import { wordsOf } from '../../services/request';
import { yuan } from '../../utils/money';

type Shown = CartLine & { priceText: string };
type Tap = WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { id: number }>;

Component({
  data: { lines: [] as Shown[], totalText: '0.00', busy: false, message: '' },
  methods: {
    onShow() {
      this.show(cartLines());
    },

    show(lines: CartLine[]) {
      this.setData({
        lines: lines.map((line) => ({ ...line, priceText: yuan(line.price) })),
        totalText: yuan(lines.reduce((sum, line) => sum + line.price * line.count, 0)),
      });
    },

    more(event: Tap) {
      this.change(Number(event.currentTarget.dataset.id), +1);
    },

    less(event: Tap) {
      this.change(Number(event.currentTarget.dataset.id), -1);
    },

    change(goodsId: number, by: number) {
      const line = this.data.lines.find((one) => one.goodsId === goodsId);
      if (line) {
        this.show(setCount(goodsId, line.count + by));
      }
    },

    async placeOrder() {
      this.setData({ busy: true, message: '' });
      try {
        const order = await placeOrder(cartLines());
        emptyCart();
        this.show([]);
        wx.navigateTo({ url: `/pages/order/order?id=${order.id}` });
      }
      catch (error) {
        this.setData({ message: wordsOf(error) });
      }
      finally {
        this.setData({ busy: false });
      }
    },
  },
});
