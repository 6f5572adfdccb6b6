import type { Transaction } from 'sequelize';

import { columnOf, insertRow, quoted, selectRows, storedAs, tableOf, type AttributeOf } from '../db/rows';
import type { Models, Order } from '../models';
import { OrderStatus } from './order-states';

/** An order about to be stored: its lines priced from the goods table. */
export interface NewOrder extends Pick<Order, 'outTradeNo' | 'totalFee' | 'expiresAt'> {
    readonly userId: number;
    readonly lines: ReadonlyArray<{ readonly goodsId: number; readonly singlePrice: number; readonly count: number }>;
}

/**
 * POST /orders' statements, written once from the models' table and column names and sent to
 * the driver: the prices of the goods asked for, the unpaid-order count behind the cap, and
 * the INSERTs of the order and its lines. Model.create and bulkCreate built and validated an
 * instance per row for values this code computed itself.
 */
export class OrderPlacement {
    /** By the number of goods asked for: at most 100 (the route's limit), so at most 100 texts. */
    private readonly priceSqls = new Map<number, string>();
    private readonly lockUserSql: string | undefined;
    private readonly openOrdersSql: string;

    constructor(private readonly models: Models) {
        const { Order, User } = models;
        const q = quoted;
        const order = (attribute: AttributeOf<Order>) => q(columnOf(Order, attribute));
        // SQLite has no FOR UPDATE, and needs none: its write transactions run one at a time.
        this.lockUserSql = models.sequelize.getDialect() === 'sqlite'
            ? undefined
            : `SELECT ${q(columnOf(User, 'id'))} FROM ${tableOf(User)} WHERE ${q(columnOf(User, 'id'))} = ? FOR UPDATE`;
        this.openOrdersSql = `SELECT COUNT(*) AS ${q('open')} FROM ${tableOf(Order)}`
            + ` WHERE ${order('userId')} = ? AND ${order('status')} = ? AND ${order('expiresAt')} > ?`;
    }

    /** The price of each goods id asked for that exists. */
    async prices(goodsIds: readonly number[]): Promise<Map<number, number>> {
        const { Goods } = this.models;
        let sql = this.priceSqls.get(goodsIds.length);
        if (sql === undefined) {
            const q = quoted;
            sql = `SELECT ${q(columnOf(Goods, 'id'))} AS ${q('id')}, ${q(columnOf(Goods, 'price'))} AS ${q('price')} FROM ${tableOf(Goods)}`
                + ` WHERE ${q(columnOf(Goods, 'id'))} IN (${goodsIds.map(() => '?').join(', ')})`;
            this.priceSqls.set(goodsIds.length, sql);
        }
        const rows = await selectRows<{ id: number; price: number }>(Goods, sql, goodsIds);
        return new Map(rows.map((row) => [row.id, row.price]));
    }

    /**
     * The user's unpaid orders that can still be paid, counted with the user's row locked
     * (MySQL) so that concurrent creates in other transactions wait for this one.
     */
    async openOrders(userId: number, now: Date, transaction: Transaction): Promise<number> {
        const { Order, User } = this.models;
        if (this.lockUserSql !== undefined) {
            await selectRows(User, this.lockUserSql, [userId], transaction);
        }
        const [row] = await selectRows<{ open: number | string }>(Order, this.openOrdersSql, [userId, OrderStatus.unpaid, storedAs(Order, 'expiresAt', now)], transaction);
        return Number(row?.open ?? 0);
    }

    /** Stores the order, unpaid, and its lines: the order's id. */
    async insert({ userId, outTradeNo, totalFee, expiresAt, lines }: NewOrder, transaction: Transaction): Promise<number> {
        const orderId = await insertRow(this.models.Order, { userId, outTradeNo, totalFee, expiresAt, status: OrderStatus.unpaid }, transaction);
        for (const line of lines) {
            await insertRow(this.models.OrderGoods, { orderId, ...line }, transaction);
        }
        return orderId;
    }
}
