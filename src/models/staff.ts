import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** owner: everything, staff management; operator: orders, shipping, the after-sale queue; finance: refunds, reconciliation, exports. */
export const STAFF_ROLES = ['owner', 'operator', 'finance'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Lower-case letters, digits, `.`, `_`, `-`: a name that reads the same in a log, a URL and a CSV. */
export const STAFF_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;

/** A member of the shop's staff. Never deleted (the audit trail names them); disabled instead. */
export class Staff extends Model<InferAttributes<Staff>, InferCreationAttributes<Staff>> {
    declare id: CreationOptional<number>;
    declare name: string;
    /** argon2id, in its PHC string (the parameters travel with it). Secret: never returned or logged. */
    declare passwordHash: string;
    declare role: StaffRole;
    /** Set by an owner's reset (or a new account): the member must choose a password before anything else. */
    declare passwordChangeRequired: CreationOptional<boolean>;
    declare disabledAt: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            name: { type: DataTypes.STRING(32), allowNull: false, unique: true, validate: { is: STAFF_NAME_PATTERN } },
            passwordHash: { type: DataTypes.STRING(255), allowNull: false },
            role: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [STAFF_ROLES as unknown as string[]] } },
            passwordChangeRequired: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
            disabledAt: { type: DataTypes.DATE, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, {
            sequelize,
            tableName: 'staff',
            underscored: true,
            defaultScope: { attributes: { exclude: ['passwordHash'] } },
            scopes: { withPasswordHash: { attributes: { include: ['passwordHash'] } } },
        });
    }
}
