import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** `running`: an instance holds the day's claim and is comparing; the other two are final. */
export const RECONCILIATION_STATUSES = ['running', 'agreed', 'disagreed'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

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
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'reconciliation_reports', underscored: true });
    }
}
