'use strict';

// The tutorial's four shops and four goods, with prices in integer fen.
const SHOPS = [1, 2, 3, 4].map((id) => ({ id, name: `店铺${id}`, thumb_url: `https://picsum.photos/seed/shop${id}/200/200` }));
const GOODS = [
    { id: 1, shop_id: 1, name: '商品1-1', price: 490 },
    { id: 2, shop_id: 1, name: '商品1-2', price: 1280 },
    { id: 3, shop_id: 1, name: '商品1-3', price: 2990 },
    { id: 4, shop_id: 2, name: '商品2-1', price: 880 },
].map((goods) => ({ ...goods, thumb_url: `https://picsum.photos/seed/goods${goods.id}/200/200` }));

module.exports = {
    SHOPS,
    GOODS,

    async up(queryInterface) {
        const now = new Date();
        const stamp = (row) => ({ ...row, created_at: now, updated_at: now });
        await queryInterface.bulkInsert('shops', SHOPS.map(stamp));
        await queryInterface.bulkInsert('goods', GOODS.map(stamp));
    },

    async down(queryInterface) {
        await queryInterface.bulkDelete('goods', { id: GOODS.map((goods) => goods.id) });
        await queryInterface.bulkDelete('shops', { id: SHOPS.map((shop) => shop.id) });
    },
};
