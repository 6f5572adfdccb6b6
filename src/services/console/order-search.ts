import { columnOf, dateOf, limitParams, quoted, selectRows, storedAs, tableOf, type AttributeOf } from '../../db/rows';
import type { DriverValue } from '../../db/driver';
import type { Models, Order } from '../../models';
import type { OrderStatus } from '../../models/order';
import { addBeijingDays, startOfBeijingDay } from '../../wechat/beijing-day';
import type { BeijingDay } from '../../wechat/pay-gateway';

/** WeChat's order-shipping service expects a paid order's shipment within 48 hours. */
export const SHIP_WITHIN_MS = 48 * 3_600_000;

/** What the console's order list can be narrowed to; every filter is one index range (see the migrations of 2026-12-21). */
export interface OrderFilter {
    readonly status?: OrderStatus;
    /** The Beijing day the order was placed. */
    readonly day?: BeijingDay;
    /** The Beijing day it was paid. */
    readonly paidDay?: BeijingDay;
    readonly userId?: number;
    readonly openId?: string;
    readonly outTradeNo?: string;
    readonly transactionId?: string;
}

/** One order as the console lists it. Money in fen. */
export interface OrderRow {
    readonly id: number;
    readonly outTradeNo: string;
    readonly transactionId: string | null;
    readonly userId: number;
    readonly openId: string | null;
    readonly status: OrderStatus;
    readonly totalFee: number;
    readonly createdAt: Date;
    readonly paidAt: Date | null;
    readonly shippedAt: Date | null;
    readonly completedAt: Date | null;
}

export interface Statement {
    readonly sql: string;
    readonly values: readonly DriverValue[];
}

type RawDate = Date | string;
type Raw = Omit<OrderRow, 'createdAt' | 'paidAt' | 'shippedAt' | 'completedAt'> & {
    readonly createdAt: RawDate; readonly paidAt: RawDate | null; readonly shippedAt: RawDate | null; readonly completedAt: RawDate | null;
};

const COLUMNS = ['id', 'outTradeNo', 'transactionId', 'userId', 'status', 'totalFee', 'createdAt', 'paidAt', 'shippedAt', 'completedAt'] as const satisfies readonly AttributeOf<Order>[];

/**
 * The console's order list: newest first, a keyset page at a time (`WHERE id < ?`, never an
 * OFFSET), so page 1,000 of a million orders costs what page 1 costs. Written as plain
 * statements (EXPLAIN-able: the MariaDB suite checks each filter reads through an index), with
 * the openids of the page's shoppers read after, by id.
 */
export class OrderSearch {
    constructor(private readonly models: Models) {}

    /** The statement for a page of at most `limit` orders older than `beforeId`; null when nothing can match (an unknown openid). */
    async statement(filter: OrderFilter, beforeId: number | undefined, limit: number): Promise<Statement | null> {
        const { Order, User } = this.models;
        const column = (attribute: AttributeOf<Order>) => quoted(columnOf(Order, attribute));
        const conditions: string[] = [];
        const values: DriverValue[] = [];
        const where = (condition: string, ...parameters: DriverValue[]) => {
            conditions.push(condition);
            values.push(...parameters);
        };
        let userId = filter.userId;
        if (filter.openId !== undefined) {
            const user = await User.findOne({ where: { openId: filter.openId }, attributes: ['id'], raw: true });
            if (user === null || (userId !== undefined && userId !== user.id)) {
                return null;
            }
            userId = user.id;
        }
        if (filter.outTradeNo !== undefined) {
            where(`${column('outTradeNo')} = ?`, filter.outTradeNo);
        }
        if (filter.transactionId !== undefined) {
            where(`${column('transactionId')} = ?`, filter.transactionId);
        }
        if (userId !== undefined) {
            where(`${column('userId')} = ?`, userId);
        }
        if (filter.status !== undefined) {
            where(`${column('status')} = ?`, filter.status);
        }
        for (const [attribute, day] of [['createdAt', filter.day], ['paidAt', filter.paidDay]] as const) {
            if (day !== undefined) {
                where(`${column(attribute)} >= ? AND ${column(attribute)} < ?`,
                    storedAs(Order, attribute, startOfBeijingDay(day)), storedAs(Order, attribute, startOfBeijingDay(addBeijingDays(day, 1))));
            }
        }
        if (beforeId !== undefined) {
            where(`${column('id')} < ?`, beforeId);
        }
        const select = COLUMNS.map((attribute) => `${column(attribute)} AS ${quoted(attribute)}`).join(', ');
        const sql = `SELECT ${select} FROM ${tableOf(Order)}${conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`}`
            + ` ORDER BY ${column('id')} DESC LIMIT ? OFFSET ?`;
        return { sql, values: [...values, ...limitParams(Order, limit, 0)] };
    }

    /** At most `limit` orders, newest first, older than `beforeId`. */
    async rows(filter: OrderFilter, beforeId: number | undefined, limit: number): Promise<OrderRow[]> {
        const statement = await this.statement(filter, beforeId, limit);
        if (statement === null) {
            return [];
        }
        const raw = await selectRows<Raw>(this.models.Order, statement.sql, statement.values);
        const openIds = await this.openIdsOf(raw.map((row) => row.userId));
        return raw.map((row) => ({
            ...row,
            openId: openIds.get(row.userId) ?? null,
            createdAt: dateOf(row.createdAt), paidAt: dateOf(row.paidAt), shippedAt: dateOf(row.shippedAt), completedAt: dateOf(row.completedAt),
        }));
    }

    /** What the orders' refunds that succeeded add up to, by order. */
    async refundedOf(orderIds: readonly number[]): Promise<Map<number, number>> {
        if (orderIds.length === 0) {
            return new Map();
        }
        const rows = await this.models.Refund.findAll({
            where: { orderId: [...orderIds], status: 'succeeded' }, attributes: ['orderId', [this.models.sequelize.fn('SUM', this.models.sequelize.col('refund_fee')), 'refunded']],
            group: ['orderId'], raw: true,
        }) as unknown as Array<{ orderId: number; refunded: number | string }>;
        return new Map(rows.map((row) => [row.orderId, Number(row.refunded)]));
    }

    private async openIdsOf(userIds: readonly number[]): Promise<Map<number, string>> {
        if (userIds.length === 0) {
            return new Map();
        }
        const users = await this.models.User.findAll({ where: { id: [...new Set(userIds)] }, attributes: ['id', 'openId'], raw: true });
        return new Map(users.map((user) => [user.id, user.openId]));
    }
}
