import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';

import type { RefundSource, RefundState } from '../wechat/pay-gateway';
import type { Order } from './order';

/**
 * WeChat's states, and ours: `disputed`, a refund WeChat reported that its order cannot hold (more
 * than the paid total less what was already refunded), recorded but counted in none of the order's
 * totals; `pending_approval`, a refund above REFUND_APPROVAL_ABOVE_FEN waiting for a second staff
 * member (WeChat not asked yet; it counts against what is left to refund); `cancelled`, one whose
 * approval was declined (WeChat never asked; it counts nowhere).
 */
export const REFUND_STATUSES = ['processing', 'succeeded', 'failed', 'abnormal', 'disputed', 'pending_approval', 'cancelled'] as const satisfies readonly (RefundState | 'disputed' | 'pending_approval' | 'cancelled')[];

/** Refunds that give nothing back and hold nothing back: what is left to refund ignores them. */
export const REFUNDS_HOLDING_NOTHING: readonly RefundStatus[] = ['failed', 'cancelled'];
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export const REFUND_SOURCES = ['api', 'merchant_platform'] as const satisfies readonly RefundSource[];

/** WeChat shows the reason to the shopper and takes at most 80 characters. */
export const REFUND_REASON_MAX_CHARACTERS = 80;

/**
 * A refund of part or all of a paid order. Stored before WeChat is asked; `processing` until
 * WeChat's notification or refundquery says how it ended. Money is integer fen.
 */
export class Refund extends Model<InferAttributes<Refund>, InferCreationAttributes<Refund>> {
    declare id: CreationOptional<number>;
    declare orderId: ForeignKey<Order['id']>;
    /** Our number for it at WeChat: WX_REFUND_NO_PREFIX and this row's own part. */
    declare outRefundNo: string;
    declare refundFee: number;
    /** The order's paid total, as sent with every attempt (WeChat refuses a changed one). */
    declare totalFee: number;
    declare reason: string | null;
    declare status: CreationOptional<RefundStatus>;
    declare refundId: CreationOptional<string | null>;
    declare failureCode: CreationOptional<string | null>;
    declare failureMessage: CreationOptional<string | null>;
    declare source: CreationOptional<RefundSource>;
    /** Calls to WeChat's refund so far. */
    declare attempts: CreationOptional<number>;
    /** Not yet accepted by WeChat: the refund job asks again from then on. */
    declare nextAttemptAt: CreationOptional<Date | null>;
    /** A refund job instance holds the refund until then. */
    declare claimedUntil: CreationOptional<Date | null>;
    /** When refundquery was last asked about it. */
    declare queriedAt: CreationOptional<Date | null>;
    /** When WeChat accepted it (refund_id known). */
    declare acceptedAt: CreationOptional<Date | null>;
    declare succeededAt: CreationOptional<Date | null>;
    /** The staff member who asked for it; null: the API key (or a refund older than staff accounts). */
    declare requestedByStaffId: CreationOptional<number | null>;
    /** Who approved or declined it, when it waited for approval. */
    declare reviewedByStaffId: CreationOptional<number | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare order?: NonAttribute<Order>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            outRefundNo: { type: DataTypes.STRING(64), allowNull: false, unique: true },
            refundFee: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 1 } },
            totalFee: { type: DataTypes.INTEGER, allowNull: false },
            reason: { type: DataTypes.STRING(REFUND_REASON_MAX_CHARACTERS), allowNull: true },
            status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'processing', validate: { isIn: [REFUND_STATUSES as unknown as string[]] } },
            refundId: { type: DataTypes.STRING(64), allowNull: true },
            failureCode: { type: DataTypes.STRING(32), allowNull: true },
            failureMessage: { type: DataTypes.STRING(255), allowNull: true },
            source: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'api', validate: { isIn: [REFUND_SOURCES as unknown as string[]] } },
            attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
            nextAttemptAt: { type: DataTypes.DATE, allowNull: true },
            claimedUntil: { type: DataTypes.DATE, allowNull: true },
            queriedAt: { type: DataTypes.DATE, allowNull: true },
            acceptedAt: { type: DataTypes.DATE, allowNull: true },
            succeededAt: { type: DataTypes.DATE, allowNull: true },
            requestedByStaffId: { type: DataTypes.INTEGER, allowNull: true },
            reviewedByStaffId: { type: DataTypes.INTEGER, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'refunds', underscored: true });
    }
}
