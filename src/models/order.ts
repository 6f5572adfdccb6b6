import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';

import type { SignType } from '../wechat/sign';
import type { OrderGoods } from './order-goods';
import type { Refund } from './refund';
import type { RefundRequest } from './refund-request';
import type { Shipment } from './shipment';
import type { User } from './user';

export const ORDER_STATUSES = ['unpaid', 'paid', 'shipped', 'completed', 'closed', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** WeChat's rule for out_trade_no, narrowed to characters safe in any URL or log. */
export const OUT_TRADE_NO_PATTERN = /^[A-Za-z0-9_-]{6,32}$/;

export class Order extends Model<InferAttributes<Order>, InferCreationAttributes<Order>> {
    declare id: CreationOptional<number>;
    declare userId: ForeignKey<User['id']>;
    declare outTradeNo: string;
    /** Integer fen: the sum of single_price × count, fixed when the order is made. */
    declare totalFee: number;
    declare status: CreationOptional<OrderStatus>;
    declare transactionId: CreationOptional<string | null>;
    declare paidAt: CreationOptional<Date | null>;
    declare prepayId: CreationOptional<string | null>;
    declare prepayAt: CreationOptional<Date | null>;
    /** The algorithm the prepay was signed with: WeChat signs its notification the same way, without naming it. */
    declare prepaySignType: CreationOptional<SignType | null>;
    /** After this the order can no longer be paid (sent to WeChat as time_expire). */
    declare expiresAt: Date;
    /** When WeChat's orderquery was last asked about this order. */
    declare queriedAt: CreationOptional<Date | null>;
    /** A reconciler instance holds the order until then, so two instances never work it at once. */
    declare claimedUntil: CreationOptional<Date | null>;
    /** A POST /orders/{id}/pay holds the order until then while it asks WeChat for a prepay. */
    declare payClaimedUntil: CreationOptional<Date | null>;
    /** When the merchant shipped it: ORDER_AUTO_RECEIVE_DAYS count from here. */
    declare shippedAt: CreationOptional<Date | null>;
    /** When receipt was confirmed, by the shopper or by the auto-receive job. */
    declare completedAt: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare items?: NonAttribute<OrderGoods[]>;
    declare shipment?: NonAttribute<Shipment | null>;
    declare user?: NonAttribute<User>;
    declare refunds?: NonAttribute<Refund[]>;
    declare refundRequests?: NonAttribute<RefundRequest[]>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            outTradeNo: { type: DataTypes.STRING(32), allowNull: false, unique: true, validate: { is: OUT_TRADE_NO_PATTERN } },
            totalFee: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 1 } },
            status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'unpaid', validate: { isIn: [ORDER_STATUSES as unknown as string[]] } },
            transactionId: { type: DataTypes.STRING(32), allowNull: true, unique: true },
            paidAt: { type: DataTypes.DATE, allowNull: true },
            prepayId: { type: DataTypes.STRING(64), allowNull: true },
            prepayAt: { type: DataTypes.DATE, allowNull: true },
            prepaySignType: { type: DataTypes.STRING(16), allowNull: true },
            expiresAt: { type: DataTypes.DATE, allowNull: false },
            queriedAt: { type: DataTypes.DATE, allowNull: true },
            claimedUntil: { type: DataTypes.DATE, allowNull: true },
            payClaimedUntil: { type: DataTypes.DATE, allowNull: true },
            shippedAt: { type: DataTypes.DATE, allowNull: true },
            completedAt: { type: DataTypes.DATE, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'orders', underscored: true });
    }
}
