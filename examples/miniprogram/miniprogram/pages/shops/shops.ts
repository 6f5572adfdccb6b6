import type { Shop } from '../../services/api-types';
import { wordsOf } from '../../services/request';
import { listShops } from '../../services/shops';

// Pages are built with Component(), as WeChat allows, so miniprogram-simulate can render them in tests.
Component({
  data: { shops: [] as Shop[], message: '' },
  methods: {
    async onLoad() {
      try {
        this.setData({ shops: (await listShops()).results });
      }
      catch (error) {
        this.setData({ message: wordsOf(error) });
      }
    },

    openShop(event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { id: number }>) {
      const shop = this.data.shops.find((one) => one.id === Number(event.currentTarget.dataset.id));
      if (shop) {
        wx.navigateTo({ url: `/pages/goods/goods?shopId=${shop.id}&name=${encodeURIComponent(shop.name)}` });
      }
    },
  },
});
