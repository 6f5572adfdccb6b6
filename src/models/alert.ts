import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** An alert's message is cut at this many characters, its details (JSON) at this many. */
export const ALERT_MESSAGE_MAX_CHARACTERS = 512;
export const ALERT_DETAILS_MAX_CHARACTERS = 4096;

/** One `alert.*` event the app logged, kept for the console (the newest ALERTS_KEPT of them). */
export class Alert extends Model<InferAttributes<Alert>, InferCreationAttributes<Alert>> {
    declare id: CreationOptional<number>;
    /** `alert.reconciliation`, `alert.refund_exceeds_order`… */
    declare event: string;
    /** The log line's `alert` field: what kind of alert within the event (a discrepancy's kind). */
    declare kind: string | null;
    declare message: string;
    /** The log line's other fields, JSON. */
    declare details: string;
    declare requestId: string | null;
    declare createdAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            event: { type: DataTypes.STRING(64), allowNull: false },
            kind: { type: DataTypes.STRING(64), allowNull: true },
            message: { type: DataTypes.STRING(ALERT_MESSAGE_MAX_CHARACTERS), allowNull: false },
            details: { type: DataTypes.TEXT, allowNull: false },
            requestId: { type: DataTypes.STRING(64), allowNull: true },
            createdAt: DataTypes.DATE,
        }, { sequelize, tableName: 'alerts', underscored: true, updatedAt: false });
    }
}
