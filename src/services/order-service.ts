import { randomBytes } from 'node:crypto';

import Boom from '@hapi/boom';
import { ForeignKeyConstraintError, type Transaction } from 'sequelize';

import type { PayConfig } from '../config';
import { retryOnDeadlock } from '../db/rows';
import type { Models, Order } from '../models';
import { toBeijingCompact } from '../wechat/time';
import { OrderListings, type OrderSummary } from './order-listings';
import { OrderPlacement } from './order-placement';
import type { Page, PageOf } from './shop-service';
import { UserGoneError } from './user-service';

export interface OrderLine {
    readonly goodsId: number;
    readonly count: number;
}

/** WeChat's total_fee is a 32-bit integer of fen. */
const MAX_TOTAL_FEE = 2 ** 31 - 1;

/**
 * 30 characters: the Beijing time of ordering, for people reading WeChat's merchant
 * console, and 64 random bits, so that instances never need to coordinate.
 */
function newOutTradeNo(now: Date): string {
    return `${toBeijingCompact(now)}${randomBytes(8).toString('hex')}`;
}

export class OrderService {
    private readonly listings: OrderListings;
    private readonly placement: OrderPlacement;

    constructor(
        private readonly models: Models,
        private readonly pay: PayConfig,
    ) {
        this.listings = new OrderListings(models);
        this.placement = new OrderPlacement(models);
    }

    /** Prices come from the goods table, never from the caller. The order as its owner reads it back. */
    async create(userId: number, lines: readonly OrderLine[]): Promise<OrderSummary> {
        const ids = lines.map((line) => line.goodsId);
        const priceOf = await this.placement.prices(ids);
        const missing = ids.filter((id) => !priceOf.has(id));
        if (missing.length > 0) {
            throw Boom.badRequest(`goods_id ${missing.join(', ')} does not exist`);
        }

        const priced = lines.map((line) => ({ ...line, singlePrice: priceOf.get(line.goodsId)! }));
        const totalFee = priced.reduce((sum, line) => sum + line.singlePrice * line.count, 0);
        if (totalFee > MAX_TOTAL_FEE) {
            throw Boom.badRequest(`order total ${totalFee} fen is more than WeChat Pay accepts`);
        }

        const now = new Date();
        const orderId = await retryOnDeadlock(() => this.models.sequelize.transaction(async (transaction) => {
            await this.assertUnderUnpaidCap(userId, now, transaction);
            return this.placement.insert({
                userId,
                outTradeNo: newOutTradeNo(now),
                totalFee,
                expiresAt: new Date(now.getTime() + this.pay.orderLifetimeMinutes * 60_000),
                lines: priced,
            }, transaction);
        })).catch(async (error: unknown) => {
            // The token's user was cached, but deleted since: its orders' foreign key refuses the row.
            if (error instanceof ForeignKeyConstraintError && await this.models.User.count({ where: { id: userId } }) === 0) {
                throw new UserGoneError(userId);
            }
            throw error;
        });
        const created = await this.listings.one(userId, orderId);
        if (created === undefined) {
            throw new Error(`order ${orderId} was not found right after it was stored`);
        }
        return created;
    }

    /** The caller's orders, newest first: one page, and how many there are in all. */
    listOwned(userId: number, page: Page): Promise<PageOf<OrderSummary>> {
        return this.listings.page(userId, page);
    }

    /** Another user's order is 404, not 403: its existence is not the caller's business. */
    findOwned(orderId: number, userId: number): Promise<Order> {
        return this.find(orderId, { userId });
    }

    /** Any shopper's order, for the merchant API. */
    findAny(orderId: number): Promise<Order> {
        return this.find(orderId, {});
    }

    private async find(orderId: number, owner: { userId?: number }): Promise<Order> {
        const order = await this.models.Order.findOne({
            where: { id: orderId, ...owner },
            include: this.itemsWithGoods(),
            order: [['items', 'id', 'ASC']],
        });
        if (!order) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        return order;
    }

    /**
     * Each unpaid order may become a unifiedorder: a user holding ORDER_MAX_UNPAID_PER_USER of
     * them must pay or close one first. The user's row is locked (MySQL; SQLite runs one write
     * transaction at a time) so concurrent creates cannot all pass the same count.
     */
    private async assertUnderUnpaidCap(userId: number, now: Date, transaction: Transaction): Promise<void> {
        const cap = this.pay.maxUnpaidPerUser;
        if (cap === 0) {
            return;
        }
        const open = await this.placement.openOrders(userId, now, transaction);
        if (open >= cap) {
            throw Boom.conflict(`you already have ${open} unpaid orders, the most one may hold is ${cap}: pay or close one first`);
        }
    }

    private itemsWithGoods() {
        return [
            { model: this.models.OrderGoods, as: 'items', include: [{ model: this.models.Goods, as: 'goods', attributes: ['id', 'name', 'shopId'] }] },
            { model: this.models.Shipment, as: 'shipment', attributes: ['logisticsType', 'expressCompany', 'trackingNo', 'itemDesc', 'createdAt'] },
        ];
    }
}
