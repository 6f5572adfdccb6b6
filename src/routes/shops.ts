import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { GoodsListing, ShopListing } from '../services/shop-service';
import { idParam, pageLinks, pageSchema, pagingOf, pagingQuery, swaggerDocs } from './schemas';

const shopSchema = Joi.object({
    id: Joi.number().integer().required(),
    name: Joi.string().required(),
    thumb_url: Joi.string().allow(null).required(),
}).label('Shop');

const goodsSchema = Joi.object({
    id: Joi.number().integer().required(),
    shop_id: Joi.number().integer().required(),
    name: Joi.string().required(),
    thumb_url: Joi.string().allow(null).required(),
    price: Joi.number().integer().required().description('price in fen (1 yuan = 100 fen)'),
}).label('Goods');

const toShopView = (shop: ShopListing) => ({ id: shop.id, name: shop.name, thumb_url: shop.thumbUrl });
const toGoodsView = (goods: GoodsListing) => ({ id: goods.id, shop_id: goods.shopId, name: goods.name, thumb_url: goods.thumbUrl, price: goods.price });

export const shopRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/shops',
        options: {
            auth: false,
            tags: ['api', 'shops'],
            description: 'Lists the shops, a page at a time',
            validate: { query: pagingQuery },
            plugins: swaggerDocs({ errors: [400] }),
            response: { schema: pageSchema(shopSchema, 'ShopPage') },
            handler: async (request) => {
                const { results, totalCount } = await request.services().shops.listShops(pagingOf(request));
                return { results: results.map(toShopView), totalCount, links: pageLinks(request, totalCount) };
            },
        },
    },
    {
        method: 'GET',
        path: '/shops/{shopId}/goods',
        options: {
            auth: false,
            tags: ['api', 'shops'],
            description: "Lists a shop's goods with their prices in fen, a page at a time",
            notes: '404 when the shop does not exist.',
            validate: { params: Joi.object({ shopId: idParam('shop') }), query: pagingQuery },
            plugins: swaggerDocs({ errors: [400, 404] }),
            response: { schema: pageSchema(goodsSchema, 'GoodsPage') },
            handler: async (request) => {
                const { results, totalCount } = await request.services().shops.listGoods(request.params.shopId as number, pagingOf(request));
                return { results: results.map(toGoodsView), totalCount, links: pageLinks(request, totalCount) };
            },
        },
    },
];
