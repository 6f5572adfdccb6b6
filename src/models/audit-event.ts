import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Who wrote: a signed-in staff member, or a machine holding ADMIN_API_KEY. */
export const AUDIT_ACTOR_KINDS = ['staff', 'api_key'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** A snapshot kept in the trail is cut at this many characters (a subject is a few hundred). */
export const AUDIT_SNAPSHOT_MAX_CHARACTERS = 16_384;

/**
 * One write to the merchant API: who, what (the route and its subject), when, the request id,
 * how it ended, and the subject before and after. Append-only: written once, never updated.
 */
export class AuditEvent extends Model<InferAttributes<AuditEvent>, InferCreationAttributes<AuditEvent>> {
    declare id: CreationOptional<number>;
    declare actorKind: AuditActorKind;
    declare staffId: number | null;
    declare staffName: string | null;
    /** `POST /admin/orders/{orderId}/refunds`: the method and the route's template. */
    declare action: string;
    /** The path as requested (`/admin/orders/12/refunds`), without its query. */
    declare path: string;
    declare subjectType: string | null;
    declare subjectId: string | null;
    declare requestId: string;
    declare statusCode: number;
    declare ip: string | null;
    /** JSON text of the subject as loaded before the handler ran; null when there was none. */
    declare before: string | null;
    declare after: string | null;
    declare createdAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            actorKind: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [AUDIT_ACTOR_KINDS as unknown as string[]] } },
            staffId: { type: DataTypes.INTEGER, allowNull: true },
            staffName: { type: DataTypes.STRING(32), allowNull: true },
            action: { type: DataTypes.STRING(160), allowNull: false },
            path: { type: DataTypes.STRING(255), allowNull: false },
            subjectType: { type: DataTypes.STRING(32), allowNull: true },
            subjectId: { type: DataTypes.STRING(64), allowNull: true },
            requestId: { type: DataTypes.STRING(64), allowNull: false },
            statusCode: { type: DataTypes.INTEGER, allowNull: false },
            ip: { type: DataTypes.STRING(64), allowNull: true },
            before: { type: DataTypes.TEXT, allowNull: true },
            after: { type: DataTypes.TEXT, allowNull: true },
            createdAt: DataTypes.DATE,
        }, { sequelize, tableName: 'audit_events', underscored: true, updatedAt: false });
    }
}
