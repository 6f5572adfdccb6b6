import type { Sequelize } from 'sequelize';

import { Goods } from './goods';
import { Order } from './order';
import { OrderGoods } from './order-goods';
import { PaymentNotification } from './payment-notification';
import { Shop } from './shop';
import { User } from './user';

export { Goods, Order, OrderGoods, PaymentNotification, Shop, User };

export interface Models {
    readonly sequelize: Sequelize;
    readonly Shop: typeof Shop;
    readonly Goods: typeof Goods;
    readonly User: typeof User;
    readonly Order: typeof Order;
    readonly OrderGoods: typeof OrderGoods;
    readonly PaymentNotification: typeof PaymentNotification;
}

/** Binds the model classes to one Sequelize instance and declares how they relate. */
export function initModels(sequelize: Sequelize): Models {
    Shop.initialise(sequelize);
    Goods.initialise(sequelize);
    User.initialise(sequelize);
    Order.initialise(sequelize);
    OrderGoods.initialise(sequelize);
    PaymentNotification.initialise(sequelize);

    Shop.hasMany(Goods, { foreignKey: { name: 'shopId', allowNull: false }, as: 'goods' });
    Goods.belongsTo(Shop, { foreignKey: { name: 'shopId', allowNull: false }, as: 'shop' });
    User.hasMany(Order, { foreignKey: { name: 'userId', allowNull: false }, as: 'orders' });
    Order.belongsTo(User, { foreignKey: { name: 'userId', allowNull: false }, as: 'user' });
    Order.hasMany(OrderGoods, { foreignKey: { name: 'orderId', allowNull: false }, as: 'items' });
    OrderGoods.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });
    OrderGoods.belongsTo(Goods, { foreignKey: { name: 'goodsId', allowNull: false }, as: 'goods' });

    return { sequelize, Shop, Goods, User, Order, OrderGoods, PaymentNotification };
}
