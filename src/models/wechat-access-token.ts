import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** WeChat's access token for one appid, shared by every instance of the app. Never logged. */
export class WechatAccessToken extends Model<InferAttributes<WechatAccessToken>, InferCreationAttributes<WechatAccessToken>> {
    declare appId: string;
    declare accessToken: CreationOptional<string | null>;
    declare expiresAt: CreationOptional<Date | null>;
    /** The instance fetching a new token holds this until then; the others wait for its row. */
    declare refreshClaimedUntil: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            appId: { type: DataTypes.STRING(32), primaryKey: true },
            accessToken: { type: DataTypes.STRING(512), allowNull: true },
            expiresAt: { type: DataTypes.DATE, allowNull: true },
            refreshClaimedUntil: { type: DataTypes.DATE, allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'wechat_access_tokens', underscored: true });
    }
}
