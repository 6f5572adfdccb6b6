import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** `interrupted`: a row left `received` by a request that died before it finished (before recording became atomic). */
export const NOTIFICATION_OUTCOMES = ['received', 'paid', 'duplicate', 'payment_failed', 'rejected', 'interrupted'] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

/**
 * Every delivery to the notify URL. A verified one keeps its whole body, byte for byte; one
 * whose signature did not verify (anyone can send those) keeps a short prefix, its length and
 * its hash, and is purged after the retention period.
 */
export class PaymentNotification extends Model<InferAttributes<PaymentNotification>, InferCreationAttributes<PaymentNotification>> {
    declare id: CreationOptional<number>;
    declare body: Buffer;
    declare bodyBytes: number;
    declare bodySha256: string;
    declare outTradeNo: string | null;
    declare transactionId: string | null;
    declare signatureValid: CreationOptional<boolean | null>;
    declare outcome: CreationOptional<NotificationOutcome>;
    declare reason: CreationOptional<string | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            body: { type: DataTypes.BLOB, allowNull: true },
            bodyBytes: { type: DataTypes.INTEGER, allowNull: true },
            bodySha256: { type: DataTypes.STRING(64), allowNull: true },
            outTradeNo: { type: DataTypes.STRING(64), allowNull: true },
            transactionId: { type: DataTypes.STRING(64), allowNull: true },
            signatureValid: { type: DataTypes.BOOLEAN, allowNull: true },
            outcome: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'received', validate: { isIn: [NOTIFICATION_OUTCOMES as unknown as string[]] } },
            reason: { type: DataTypes.STRING(255), allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'payment_notifications', underscored: true });
    }
}
