import Boom from '@hapi/boom';

import type { Goods, Models, Shop } from '../models';
import { ReadCache, type CacheLimits } from './read-cache';

export interface Page {
    readonly page: number;
    readonly limit: number;
}

export interface PageOf<T> {
    readonly results: T[];
    readonly totalCount: number;
}

export type ShopListing = Pick<Shop, 'id' | 'name' | 'thumbUrl'>;
export type GoodsListing = Pick<Goods, 'id' | 'shopId' | 'name' | 'thumbUrl' | 'price'>;

const SHOP_COLUMNS = ['id', 'name', 'thumbUrl'] as const;
const GOODS_COLUMNS = ['id', 'shopId', 'name', 'thumbUrl', 'price'] as const;

const pageKey = ({ page, limit }: Page) => `${page}:${limit}`;

/** Frozen: a cached page is shared by every request that reads it. */
function frozenPage<T extends object>(rows: T[], totalCount: number): PageOf<T> {
    return Object.freeze({ results: Object.freeze(rows.map((row) => Object.freeze(row))) as T[], totalCount });
}

/**
 * Shops and goods change a few times a day and are read on every visit: pages are served
 * from a cache, so a change shows within the cache's ttl. Prices for an order are never
 * taken from here (OrderService reads them from the database).
 */
export class ShopService {
    private readonly shopPages: ReadCache<string, PageOf<ShopListing>>;
    /** null: no such shop (not kept, so a new shop shows at once). */
    private readonly goodsPages: ReadCache<string, PageOf<GoodsListing> | null>;

    constructor(private readonly models: Models, cache: CacheLimits) {
        this.shopPages = new ReadCache(cache);
        this.goodsPages = new ReadCache(cache);
    }

    listShops(page: Page): Promise<PageOf<ShopListing>> {
        return this.shopPages.get(pageKey(page), async () => {
            const { rows, count } = await this.models.Shop.findAndCountAll({
                attributes: [...SHOP_COLUMNS], order: [['id', 'ASC']], limit: page.limit, offset: (page.page - 1) * page.limit, raw: true,
            });
            return frozenPage<ShopListing>(rows, count);
        });
    }

    async listGoods(shopId: number, page: Page): Promise<PageOf<GoodsListing>> {
        const goods = await this.goodsPages.get(`${shopId}:${pageKey(page)}`, async () => {
            if (!(await this.models.Shop.findByPk(shopId, { attributes: ['id'], raw: true }))) {
                return null;
            }
            const { rows, count } = await this.models.Goods.findAndCountAll({
                attributes: [...GOODS_COLUMNS], where: { shopId }, order: [['id', 'ASC']], limit: page.limit, offset: (page.page - 1) * page.limit, raw: true,
            });
            return frozenPage<GoodsListing>(rows, count);
        }, (found) => found !== null);
        if (goods === null) {
            throw Boom.notFound(`shop ${shopId} does not exist`);
        }
        return goods;
    }
}
