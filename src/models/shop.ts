import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class Shop extends Model<InferAttributes<Shop>, InferCreationAttributes<Shop>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare thumbUrl: string | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            name: { type: DataTypes.STRING(255), allowNull: false },
            thumbUrl: { type: DataTypes.STRING(512), allowNull: true },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'shops', underscored: true });
    }
}
