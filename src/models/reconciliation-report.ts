import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * `running`: an instance holds the day's claim and is comparing; `failed`: the last attempt
 * could not make the report (it is tried again); `agreed` and `disagreed`: the report, final.
 */
export const RECONCILIATION_STATUSES = ['running', 'failed', 'agreed', 'disagreed'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

/** The statuses of a made report. */
export const REPORTED_STATUSES = ['agreed', 'disagreed'] as const satisfies readonly ReconciliationStatus[];

/**
 * One Beijing day's comparison of WeChat's bill with our books: one row per day (bill_date is
 * unique), claimed while it is made so instances side by side never make it twice.
 */
export class ReconciliationReport extends Model<InferAttributes<ReconciliationReport>, InferCreationAttributes<ReconciliationReport>> {
    declare id: CreationOptional<number>;
    /** YYYY-MM-DD, Beijing time. */
    declare billDate: string;
    declare status: ReconciliationStatus;
    /** While `running`: the instance making it holds the day until then; past it another may take over. */
    declare claimedUntil: CreationOptional<Date | null>;
    declare billPayments: CreationOptional<number>;
    declare billRefunds: CreationOptional<number>;
    declare ourPayments: CreationOptional<number>;
    declare ourRefunds: CreationOptional<number>;
    declare discrepancyCount: CreationOptional<number>;
    /** The discrepancies as JSON text (see src/services/bill-comparison.ts). */
    declare discrepancies: CreationOptional<string>;
    /** Attempts in a row that failed to make the report (kept once it is made, as its history). */
    declare failures: CreationOptional<number>;
    /** The last failed attempt's cause. */
    declare lastError: CreationOptional<string | null>;
    /** While `failed`: the daily job tries the day again from then (its back-off). */
    declare nextAttemptAt: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        const count = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            billDate: { type: DataTypes.STRING(10), allowNull: false, unique: true },
            status: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [RECONCILIATION_STATUSES as unknown as string[]] } },
            claimedUntil: { type: DataTypes.DATE, allowNull: true },
            billPayments: count(),
            billRefunds: count(),
            ourPayments: count(),
            ourRefunds: count(),
            discrepancyCount: count(),
            discrepancies: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
            failures: count(),
            lastError: { type: DataTypes.STRING(500), allowNull: true },
            nextAttemptAt: { type: DataTypes.DATE, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'reconciliation_reports', underscored: true });
    }
}
