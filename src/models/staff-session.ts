import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

import type { Staff } from './staff';

/** Why a session ended before its timeouts. */
export const SESSION_END_REASONS = ['signed_out', 'signed_out_everywhere', 'disabled', 'password_changed', 'password_reset'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** One staff sign-in. The cookie holds a random token; this row holds its SHA-256 only. */
export class StaffSession extends Model<InferAttributes<StaffSession>, InferCreationAttributes<StaffSession>> {
    declare id: CreationOptional<number>;
    declare staffId: ForeignKey<Staff['id']>;
    declare tokenSha256: string;
    /** Moved forward at most once a minute: the idle timeout counts from here. */
    declare lastSeenAt: Date;
    declare endedAt: CreationOptional<Date | null>;
    declare endedBecause: CreationOptional<SessionEndReason | null>;
    declare ip: string | null;
    declare userAgent: string | null;
    /** The sign-in: the absolute timeout counts from here. */
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            tokenSha256: { type: DataTypes.STRING(64), allowNull: false, unique: true },
            lastSeenAt: { type: DataTypes.DATE, allowNull: false },
            endedAt: { type: DataTypes.DATE, allowNull: true },
            endedBecause: { type: DataTypes.STRING(32), allowNull: true, validate: { isIn: [SESSION_END_REASONS as unknown as string[]] } },
            ip: { type: DataTypes.STRING(64), allowNull: true },
            userAgent: { type: DataTypes.STRING(255), allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'staff_sessions', underscored: true });
    }
}
