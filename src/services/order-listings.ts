import { columnOf, dateOf, limitParams, quoted, selectRows, tableOf, type AttributeOf } from '../db/rows';
import type { Goods, Models, Order, OrderGoods, Shipment } from '../models';
import type { Page, PageOf } from './shop-service';

/** An order as its owner's views show it: the order, its lines with their goods' names, its shipment. */
export type OrderSummary = Pick<Order, 'id' | 'userId' | 'outTradeNo' | 'totalFee' | 'status' | 'transactionId' | 'paidAt' | 'expiresAt' | 'createdAt' | 'shippedAt'> & {
    /** In line order. */
    readonly items?: ReadonlyArray<Pick<OrderGoods, 'goodsId' | 'singlePrice' | 'count'> & { readonly goods?: Pick<Goods, 'name'> | null }>;
    readonly shipment?: Pick<Shipment, 'logisticsType' | 'expressCompany' | 'trackingNo' | 'itemDesc' | 'createdAt'> | null;
};

type RawDate = Date | string;

interface OrderRow extends Pick<Order, 'id' | 'userId' | 'outTradeNo' | 'totalFee' | 'status' | 'transactionId'> {
    readonly paidAt: RawDate | null;
    readonly expiresAt: RawDate;
    readonly createdAt: RawDate;
    readonly shippedAt: RawDate | null;
    readonly logisticsType: Shipment['logisticsType'] | null;
    readonly expressCompany: string | null;
    readonly trackingNo: string | null;
    readonly itemDesc: string | null;
    readonly shipmentCreatedAt: RawDate | null;
}

interface ItemRow extends Pick<OrderGoods, 'goodsId' | 'singlePrice' | 'count'> {
    readonly orderId: number;
    readonly goodsName: string | null;
}

type OrderAttribute = AttributeOf<Order>;

/**
 * GET /orders' statements, written once from the models' table and column names and sent to
 * the driver: a count and one page of orders with their shipments (or one order), then those
 * orders' lines with their goods' names. Sequelize's findAll with nested includes spent ~5 ms
 * of CPU a page here, most of it building instances and regrouping the joined rows.
 */
export class OrderListings {
    private readonly countSql: string;
    private readonly pageSql: string;
    private readonly oneSql: string;
    private readonly itemsSql: string;

    constructor(private readonly models: Models) {
        const { Order, OrderGoods, Goods, Shipment } = models;
        const q = quoted;
        const o = (attribute: OrderAttribute) => `o.${q(columnOf(Order, attribute))}`;
        const orderColumns = (['id', 'userId', 'outTradeNo', 'totalFee', 'status', 'transactionId', 'paidAt', 'expiresAt', 'createdAt', 'shippedAt'] as const satisfies readonly OrderAttribute[])
            .map((attribute) => `${o(attribute)} AS ${q(attribute)}`);
        const shipmentColumns = (['logisticsType', 'expressCompany', 'trackingNo', 'itemDesc'] as const)
            .map((attribute) => `s.${q(columnOf(Shipment, attribute))} AS ${q(attribute)}`);
        this.countSql = `SELECT COUNT(*) AS ${q('total')} FROM ${tableOf(Order)} o WHERE ${o('userId')} = ?`;
        const ordersWith = `SELECT ${[...orderColumns, ...shipmentColumns].join(', ')}, s.${q(columnOf(Shipment, 'createdAt'))} AS ${q('shipmentCreatedAt')}`
            + ` FROM ${tableOf(Order)} o LEFT JOIN ${tableOf(Shipment)} s ON s.${q(columnOf(Shipment, 'orderId'))} = ${o('id')}`;
        this.pageSql = `${ordersWith} WHERE ${o('userId')} = ? ORDER BY ${o('id')} DESC LIMIT ? OFFSET ?`;
        this.oneSql = `${ordersWith} WHERE ${o('userId')} = ? AND ${o('id')} = ?`;
        const i = (attribute: AttributeOf<OrderGoods>) => `i.${q(columnOf(OrderGoods, attribute))}`;
        // The page is the user's orders between its first and last id: ids only grow, so no order
        // placed since can fall inside that range, and the lines read are exactly the page's.
        this.itemsSql = `SELECT ${i('orderId')} AS ${q('orderId')}, ${i('goodsId')} AS ${q('goodsId')}, ${i('singlePrice')} AS ${q('singlePrice')}, ${i('count')} AS ${q('count')},`
            + ` g.${q(columnOf(Goods, 'name'))} AS ${q('goodsName')}`
            + ` FROM ${tableOf(Order)} o JOIN ${tableOf(OrderGoods)} i ON ${i('orderId')} = ${o('id')}`
            + ` LEFT JOIN ${tableOf(Goods)} g ON g.${q(columnOf(Goods, 'id'))} = ${i('goodsId')}`
            + ` WHERE ${o('userId')} = ? AND ${o('id')} BETWEEN ? AND ? ORDER BY ${i('id')}`;
    }

    /** The user's orders, newest first, one page of them, and how many there are in all. */
    async page(userId: number, { page, limit }: Page): Promise<PageOf<OrderSummary>> {
        const { Order } = this.models;
        const [[counted], rows] = await Promise.all([
            selectRows<{ total: number | string }>(Order, this.countSql, [userId]),
            selectRows<OrderRow>(Order, this.pageSql, [userId, ...limitParams(Order, limit, (page - 1) * limit)]),
        ]);
        return { results: await this.summaries(userId, rows), totalCount: Number(counted?.total ?? 0) };
    }

    /** One of the user's orders, or undefined when the user has none by that id. */
    async one(userId: number, orderId: number): Promise<OrderSummary | undefined> {
        const [summary] = await this.summaries(userId, await selectRows<OrderRow>(this.models.Order, this.oneSql, [userId, orderId]));
        return summary;
    }

    /** The orders read, newest first, with their lines. */
    private async summaries(userId: number, rows: readonly OrderRow[]): Promise<OrderSummary[]> {
        const items = rows.length === 0 ? [] : await selectRows<ItemRow>(this.models.Order, this.itemsSql, [userId, rows.at(-1)!.id, rows[0]!.id]);
        const linesOf = new Map<number, Array<NonNullable<OrderSummary['items']>[number]>>();
        for (const { orderId, goodsName, ...line } of items) {
            const lines = linesOf.get(orderId) ?? [];
            lines.push({ ...line, goods: goodsName === null ? null : { name: goodsName } });
            linesOf.set(orderId, lines);
        }
        return rows.map(({ logisticsType, expressCompany, trackingNo, itemDesc, shipmentCreatedAt, ...order }): OrderSummary => ({
            ...order,
            paidAt: dateOf(order.paidAt),
            expiresAt: dateOf(order.expiresAt),
            createdAt: dateOf(order.createdAt),
            shippedAt: dateOf(order.shippedAt),
            items: linesOf.get(order.id) ?? [],
            shipment: logisticsType === null ? null : { logisticsType, expressCompany, trackingNo, itemDesc: itemDesc!, createdAt: dateOf(shipmentCreatedAt!) },
        }));
    }
}
