import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

import type { Order } from './order';
import type { Refund } from './refund';

export const REFUND_REQUEST_STATUSES = ['pending', 'granted', 'declined'] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

export const REFUND_REQUEST_TEXT_MAX_CHARACTERS = 200;

/** A shopper asking for their money back; the merchant grants it (with a refund) or declines it with a note the shopper reads. */
export class RefundRequest extends Model<InferAttributes<RefundRequest>, InferCreationAttributes<RefundRequest>> {
    declare id: CreationOptional<number>;
    declare orderId: ForeignKey<Order['id']>;
    declare reason: string;
    declare status: CreationOptional<RefundRequestStatus>;
    /** The order while the request is pending, NULL once decided: unique, so an order has one pending request at most. */
    declare pendingOrderId: number | null;
    declare note: CreationOptional<string | null>;
    declare refundId: CreationOptional<ForeignKey<Refund['id']> | null>;
    declare decidedAt: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            reason: { type: DataTypes.STRING(REFUND_REQUEST_TEXT_MAX_CHARACTERS), allowNull: false },
            status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending', validate: { isIn: [REFUND_REQUEST_STATUSES as unknown as string[]] } },
            pendingOrderId: { type: DataTypes.INTEGER, allowNull: true, unique: true },
            note: { type: DataTypes.STRING(REFUND_REQUEST_TEXT_MAX_CHARACTERS), allowNull: true },
            refundId: { type: DataTypes.INTEGER, allowNull: true },
            decidedAt: { type: DataTypes.DATE, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'refund_requests', underscored: true });
    }
}
