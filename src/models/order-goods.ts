import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';

import type { Goods } from './goods';
import type { Order } from './order';

/** One line of an order: the goods, how many, and its price in fen when ordered. */
export class OrderGoods extends Model<InferAttributes<OrderGoods>, InferCreationAttributes<OrderGoods>> {
    declare id: CreationOptional<number>;
    declare orderId: ForeignKey<Order['id']>;
    declare goodsId: ForeignKey<Goods['id']>;
    /** Integer fen, copied from goods.price when the order was made. */
    declare singlePrice: number;
    declare count: number;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare goods?: NonAttribute<Goods>;

    static initialise(sequelize: Sequelize): void {
        this.init({
            id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
            singlePrice: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 1 } },
            count: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 1 } },
            createdAt: DataTypes.DATE,
            updatedAt: DataTypes.DATE,
        }, { sequelize, tableName: 'order_goods', underscored: true });
    }
}
