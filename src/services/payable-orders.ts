import { columnOf, dateOf, quoted, selectRows, storedAs, tableOf, updateByStatement, updateWhere, type AttributeOf } from '../db/rows';
import type { Models, Order } from '../models';
import type { SignType } from '../wechat/sign';
import { OrderStatus } from './order-states';

/**
 * What POST /orders/{id}/pay reads of an order: its state, to judge whether WeChat must be
 * asked, and what unifiedorder needs besides (the payer's openid, the goods and shop names).
 */
export interface PayableOrder extends Pick<Order, 'id' | 'userId' | 'outTradeNo' | 'totalFee' | 'status' | 'expiresAt' | 'prepayId' | 'prepayAt' | 'prepaySignType'> {
    readonly openId: string;
    /** In item order. */
    readonly items: readonly DescribedItem[];
}

/** An item as unifiedorder's body names it: shaped as an OrderGoods with its goods and shop included. */
export interface DescribedItem {
    readonly goods?: { readonly name: string; readonly shop?: { readonly name: string } };
}

type OrderAttribute = AttributeOf<Order>;

/** One row of the read: the order and its payer, once per item (goods and shop are null for an order without items). */
interface PayableRow extends Pick<Order, 'id' | 'userId' | 'outTradeNo' | 'totalFee' | 'status' | 'prepayId' | 'prepaySignType'> {
    readonly expiresAt: Date | string;
    readonly prepayAt: Date | string | null;
    readonly openId: string;
    readonly goodsName: string | null;
    readonly shopName: string | null;
}

/** When a claim may be taken: no live claim, and no prepay this gateway would hand out again. */
export interface ClaimTerms {
    readonly now: Date;
    readonly until: Date;
    /** A prepay stored at or before this is too old to hand out again. */
    readonly reusableAfter: Date;
    readonly signType: SignType;
}

/**
 * The pay path's statements: one read joining the order with its payer and goods, and the
 * conditional UPDATEs of the pay claim, each judged by the rows it changed. The read and the
 * claim (whose WHERE has ORs) are written once from the models' table and column names and go
 * to the driver, because this path runs on every tap and Sequelize's finders and Model.update
 * rebuild the same statement (and instances) each time; storing the prepay and releasing the
 * claim are plain equalities, which updateWhere sends to the driver.
 */
export class PayableOrders {
    private readonly readSql: string;
    private readonly claimSql: string;

    constructor(private readonly models: Models) {
        const { Order, User, OrderGoods, Goods, Shop } = models;
        const q = quoted;
        const order = (attribute: OrderAttribute) => q(columnOf(Order, attribute));
        const o = (attribute: OrderAttribute) => `o.${order(attribute)}`;
        const attributes = (['id', 'userId', 'outTradeNo', 'totalFee', 'status', 'expiresAt', 'prepayId', 'prepayAt', 'prepaySignType'] as const satisfies readonly OrderAttribute[])
            .map((attribute) => `${o(attribute)} AS ${q(attribute)}`);
        this.readSql = `SELECT ${attributes.join(', ')}, u.${q(columnOf(User, 'openId'))} AS ${q('openId')}, g.${q(columnOf(Goods, 'name'))} AS ${q('goodsName')}, s.${q(columnOf(Shop, 'name'))} AS ${q('shopName')}`
            + ` FROM ${tableOf(Order)} o JOIN ${tableOf(User)} u ON u.${q(columnOf(User, 'id'))} = ${o('userId')}`
            + ` LEFT JOIN ${tableOf(OrderGoods)} i ON i.${q(columnOf(OrderGoods, 'orderId'))} = ${o('id')}`
            + ` LEFT JOIN ${tableOf(Goods)} g ON g.${q(columnOf(Goods, 'id'))} = i.${q(columnOf(OrderGoods, 'goodsId'))}`
            + ` LEFT JOIN ${tableOf(Shop)} s ON s.${q(columnOf(Shop, 'id'))} = g.${q(columnOf(Goods, 'shopId'))}`
            + ` WHERE ${o('id')} = ? AND ${o('userId')} = ? ORDER BY i.${q(columnOf(OrderGoods, 'id'))}`;

        const [id, status, claimedUntil] = [order('id'), order('status'), order('payClaimedUntil')];
        const [prepayId, prepayAt, prepaySignType] = [order('prepayId'), order('prepayAt'), order('prepaySignType')];
        // updated_at as Model.update sets it.
        this.claimSql = `UPDATE ${tableOf(Order)} SET ${claimedUntil} = ?, ${order('updatedAt')} = ? WHERE ${id} = ? AND ${status} = ?`
            + ` AND (${claimedUntil} IS NULL OR ${claimedUntil} <= ?)`
            + ` AND (${prepayId} IS NULL OR ${prepayAt} <= ? OR ${prepaySignType} <> ?)`;
    }

    /** The caller's order, or undefined when there is none by that id or it is another user's. */
    async find(orderId: number, userId: number): Promise<PayableOrder | undefined> {
        const rows = await selectRows<PayableRow>(this.models.Order, this.readSql, [orderId, userId]);
        const [first] = rows;
        if (first === undefined) {
            return undefined;
        }
        const { goodsName: _goods, shopName: _shop, ...order } = first;
        return {
            ...order,
            expiresAt: dateOf(first.expiresAt),
            prepayAt: dateOf(first.prepayAt),
            items: rows.flatMap((row) => (row.goodsName === null ? [] : [{ goods: { name: row.goodsName, shop: row.shopName === null ? undefined : { name: row.shopName } } }])),
        };
    }

    /** Takes the right to ask WeChat for this order's prepay, unless another request holds it or a reusable prepay is there. */
    async claim(orderId: number, { now, until, reusableAfter, signType }: ClaimTerms): Promise<boolean> {
        const { Order } = this.models;
        return (await updateByStatement(Order, this.claimSql, [
            storedAs(Order, 'payClaimedUntil', until), storedAs(Order, 'updatedAt', new Date()), orderId, OrderStatus.unpaid,
            storedAs(Order, 'payClaimedUntil', now), storedAs(Order, 'prepayAt', reusableAfter), signType,
        ])) === 1;
    }

    /** Stores the prepay on the still-unpaid order and releases the claim; false when the order is no longer unpaid. */
    async storePrepay(orderId: number, prepayId: string, at: Date, signType: SignType): Promise<boolean> {
        // Storing the prepay releases the claim in the same UPDATE.
        return (await updateWhere(this.models.Order, { prepayId, prepayAt: at, prepaySignType: signType, payClaimedUntil: null }, { id: orderId, status: OrderStatus.unpaid })) === 1;
    }

    /** Gives the claim up, so the next tap asks WeChat again. */
    async release(orderId: number): Promise<void> {
        await updateWhere(this.models.Order, { payClaimedUntil: null }, { id: orderId });
    }
}
