import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const NOTIFICATION_OUTCOMES = ['received', 'paid', 'duplicate', 'payment_failed', 'rejected'] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

/** Every delivery to the notify URL, stored before it may change anything. */
export class PaymentNotification extends Model<InferAttributes<PaymentNotification>, InferCreationAttributes<PaymentNotification>> {
    declare id: CreationOptional<number>;
    declare rawXml: string;
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
            rawXml: { type: sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: false },
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
