import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

import type { Order } from './order';

/** WeChat's logistics_type 1-4, by the names the merchant API uses. */
export const LOGISTICS_TYPES = ['express', 'same_city', 'virtual', 'pickup'] as const;
export type LogisticsType = (typeof LOGISTICS_TYPES)[number];

/** pending: not yet accepted by WeChat (retried); uploaded: accepted; failed: WeChat refused it for good. */
export const UPLOAD_STATES = ['pending', 'uploaded', 'failed'] as const;
export type UploadState = (typeof UPLOAD_STATES)[number];

/** WeChat's limit on item_desc, in characters. */
export const ITEM_DESC_MAX = 120;

/** What the merchant shipped, and how far its upload to WeChat's order-shipping service got. */
export class Shipment extends Model<InferAttributes<Shipment>, InferCreationAttributes<Shipment>> {
    declare id: CreationOptional<number>;
    declare orderId: ForeignKey<Order['id']>;
    declare logisticsType: LogisticsType;
    declare expressCompany: string | null;
    declare trackingNo: string | null;
    declare itemDesc: string;
    /** 1 as shipped, 2 once corrected: an upload records which revision WeChat accepted. */
    declare revision: CreationOptional<number>;
    /** Uploads WeChat accepted: it takes one, and one correction (re-upload), never a third. */
    declare acceptedUploads: CreationOptional<number>;
    declare uploadState: CreationOptional<UploadState>;
    declare attempts: CreationOptional<number>;
    declare nextAttemptAt: Date;
    /** An upload job instance holds the shipment until then, so two instances never upload it at once. */
    declare claimedUntil: CreationOptional<Date | null>;
    declare lastErrcode: CreationOptional<number | null>;
    declare lastErrmsg: CreationOptional<string | null>;
    /** Our reading of WeChat's errcode, for the merchant. */
    declare failureReason: CreationOptional<string | null>;
    declare uploadedAt: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            logisticsType: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [LOGISTICS_TYPES as unknown as string[]] } },
            expressCompany: { type: DataTypes.STRING(64), allowNull: true },
            trackingNo: { type: DataTypes.STRING(128), allowNull: true },
            itemDesc: { type: DataTypes.STRING(255), allowNull: false },
            revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
            acceptedUploads: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
            uploadState: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending', validate: { isIn: [UPLOAD_STATES as unknown as string[]] } },
            attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
            nextAttemptAt: { type: DataTypes.DATE, allowNull: false },
            claimedUntil: { type: DataTypes.DATE, allowNull: true },
            lastErrcode: { type: DataTypes.INTEGER, allowNull: true },
            lastErrmsg: { type: DataTypes.STRING(255), allowNull: true },
            failureReason: { type: DataTypes.STRING(255), allowNull: true },
            uploadedAt: { type: DataTypes.DATE, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'shipments', underscored: true });
    }
}
