import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
    declare id: CreationOptional<number>;
    /** WeChat's openid for this mini-program; what unifiedorder's `openid` is read from. */
    declare openId: string;
    /** Secret: decrypts the user's encryptedData. Stored, never returned or logged. */
    declare sessionKey: string | null;
    declare nickName: string | null;
    declare avatarUrl: string | null;
    declare gender: number | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            openId: { type: DataTypes.STRING(64), allowNull: false, unique: true },
            sessionKey: { type: DataTypes.STRING(64), allowNull: true },
            nickName: { type: DataTypes.STRING(255), allowNull: true },
            avatarUrl: { type: DataTypes.STRING(512), allowNull: true },
            gender: { type: DataTypes.TINYINT, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, {
            sequelize,
            tableName: 'users',
            underscored: true,
            defaultScope: { attributes: { exclude: ['sessionKey'] } },
            scopes: { withSessionKey: { attributes: { include: ['sessionKey'] } } },
        });
    }
}
