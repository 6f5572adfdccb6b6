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
    /** The statement reading the lines of `placeholders` orders' ids. */
    private readonly itemsSql: (placeholders: number) => string;

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
        const items = `SELECT ${i('orderId')} AS ${q('orderId')}, ${i('goodsId')} AS ${q('goodsId')}, ${i('singlePrice')} AS ${q('singlePrice')}, ${i('count')} AS ${q('count')},`
            + ` g.${q(columnOf(Goods, 'name'))} AS ${q('goodsName')}`
            + ` FROM ${tableOf(OrderGoods)} i LEFT JOIN ${tableOf(Goods)} g ON g.${q(columnOf(Goods, 'id'))} = ${i('goodsId')}`;
        const texts = new Map<number, string>();
        this.itemsSql = (placeholders) => {
            let sql = texts.get(placeholders);
            if (sql === undefined) {
                sql = `${items} WHERE ${i('orderId')} IN (${Array.from({ length: placeholders }, () => '?').join(', ')}) ORDER BY ${i('id')}`;
                texts.set(placeholders, sql);
            }
            return sql;
        };
    }

    /** The user's orders, newest first, one page of them, and how many there are in all. */
    async page(userId: number, { page, limit }: Page): Promise<PageOf<OrderSummary>> {
        const { Order } = this.models;
        const [[counted], rows] = await Promise.all([
            selectRows<{ total: number | string }>(Order, this.countSql, [userId]),
            selectRows<OrderRow>(Order, this.pageSql, [userId, ...limitParams(Order, limit, (page - 1) * limit)]),
        ]);
        return { results: await this.summaries(rows), totalCount: Number(counted?.total ?? 0) };
    }

    /** One of the user's orders, or undefined when the user has none by that id. */
    async one(userId: number, orderId: number): Promise<OrderSummary | undefined> {
        const [summary] = await this.summaries(await selectRows<OrderRow>(this.models.Order, this.oneSql, [userId, orderId]));
        return summary;
    }

    /** The orders read, newest first, with their lines. */
    private async summaries(rows: readonly OrderRow[]): Promise<OrderSummary[]> {
        const items = rows.length === 0 ? [] : await this.itemsOf(rows.map((row) => row.id));
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

    /**
     * The lines of the orders read (the caller's own: the ids come from a read by user), by the
     * ids themselves: a read of order_goods through its order_id index is the only sensible plan.
     * Joined with the caller's orders by user and id range instead, MariaDB with its statistics
     * behind a growing table chose to scan all of order_goods for every page (6,000 rows for 10
     * lines at 3,000 orders; GET /orders fell to ~150 req/s in a bench round). The list is padded
     * with its last id to a power of two, so at most 8 statement texts are ever prepared.
     */
    private itemsOf(orderIds: readonly number[]): Promise<ItemRow[]> {
        const placeholders = 2 ** Math.ceil(Math.log2(orderIds.length));
        const padded = [...orderIds, ...Array.from({ length: placeholders - orderIds.length }, () => orderIds.at(-1)!)];
        return selectRows<ItemRow>(this.models.Order, this.itemsSql(placeholders), padded);
    }
}
