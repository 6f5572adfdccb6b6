import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';

import type { Shop } from './shop';

export class Goods extends Model<InferAttributes<Goods>, InferCreationAttributes<Goods>> {
    declare id: CreationOptional<number>;
    declare shopId: ForeignKey<Shop['id']>;
    declare name: string;
    declare thumbUrl: string | null;
    /** Integer fen. */
    declare price: number;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare shop?: NonAttribute<Shop>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            name: { type: DataTypes.STRING(255), allowNull: false },
            thumbUrl: { type: DataTypes.STRING(512), allowNull: true },
            price: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 1 } },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'goods', underscored: true });
    }
}
