import Boom from '@hapi/boom';

import type { Goods, Models, Shop } from '../models';

export interface Page {
    readonly page: number;
    readonly limit: number;
}

export interface PageOf<T> {
    readonly results: T[];
    readonly totalCount: number;
}

export class ShopService {
    constructor(private readonly models: Models) {}

    async listShops({ page, limit }: Page): Promise<PageOf<Shop>> {
        const { rows, count } = await this.models.Shop.findAndCountAll({ order: [['id', 'ASC']], limit, offset: (page - 1) * limit });
        return { results: rows, totalCount: count };
    }

    async listGoods(shopId: number, { page, limit }: Page): Promise<PageOf<Goods>> {
        if (!(await this.models.Shop.findByPk(shopId, { attributes: ['id'] }))) {
            throw Boom.notFound(`shop ${shopId} does not exist`);
        }
        const { rows, count } = await this.models.Goods.findAndCountAll({ where: { shopId }, order: [['id', 'ASC']], limit, offset: (page - 1) * limit });
        return { results: rows, totalCount: count };
    }
}
