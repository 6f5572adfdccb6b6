import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const REFUND_NOTIFICATION_OUTCOMES = ['applied', 'duplicate', 'rejected'] as const;
export type RefundNotificationOutcome = (typeof REFUND_NOTIFICATION_OUTCOMES)[number];

/**
 * Every delivery to the refund notify URL. One whose req_info decrypted with our key keeps its
 * whole body; anything else (anyone can send those) a short prefix, its length and its hash.
 */
export class RefundNotification extends Model<InferAttributes<RefundNotification>, InferCreationAttributes<RefundNotification>> {
    declare id: CreationOptional<number>;
    declare body: Buffer;
    declare bodyBytes: number;
    declare bodySha256: string;
    declare outTradeNo: string | null;
    declare outRefundNo: string | null;
    declare decrypted: boolean;
    declare outcome: RefundNotificationOutcome;
    declare reason: string | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            body: { type: DataTypes.BLOB, allowNull: true },
            bodyBytes: { type: DataTypes.INTEGER, allowNull: true },
            bodySha256: { type: DataTypes.STRING(64), allowNull: true },
            outTradeNo: { type: DataTypes.STRING(64), allowNull: true },
            outRefundNo: { type: DataTypes.STRING(64), allowNull: true },
            decrypted: { type: DataTypes.BOOLEAN, allowNull: false },
            outcome: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [REFUND_NOTIFICATION_OUTCOMES as unknown as string[]] } },
            reason: { type: DataTypes.STRING(255), allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'refund_notifications', underscored: true });
    }
}
