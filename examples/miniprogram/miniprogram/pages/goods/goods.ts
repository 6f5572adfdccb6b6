import type { Goods } from '../../services/api-types';
import { addToCart, cartLines } from '../../services/cart';
import { wordsOf } from '../../services/request';
import { listGoods } from '../../services/shops';
import { yuan } from '../../utils/money';

type Listed = Goods & { priceText: string };

const countOf = (lines: ReadonlyArray<{ count: number }>) => lines.reduce((sum, line) => sum + line.count, 0);

Component({
  data: { shopName: '', goods: [] as Listed[], inCart: 0, message: '' },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      this.setData({ shopName: decodeURIComponent(query.name || ''), inCart: countOf(cartLines()) });
      try {
        const { results } = await listGoods(Number(query.shopId));
        this.setData({ goods: results.map((goods) => ({ ...goods, priceText: yuan(goods.price) })) });
      }
      catch (error) {
        this.setData({ message: wordsOf(error) });
      }
    },

    onShow() {
      this.setData({ inCart: countOf(cartLines()) });
    },

    add(event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { id: number }>) {
      const goods = this.data.goods.find((one) => one.id === Number(event.currentTarget.dataset.id));
      if (goods) {
        this.setData({ inCart: countOf(addToCart(goods)) });
        wx.showToast({ title: 'Added to cart', icon: 'success' });
      }
    },

    openCart() {
      wx.switchTab({ url: '/pages/cart/cart' });
    },
  },
});
