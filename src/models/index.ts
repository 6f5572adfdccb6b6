import type { Sequelize } from 'sequelize';

import { Goods as GoodsModel } from './goods';
import { Order as OrderModel } from './order';
import { OrderGoods as OrderGoodsModel } from './order-goods';
import { PaymentNotification as PaymentNotificationModel } from './payment-notification';
import { ReconciliationReport as ReconciliationReportModel } from './reconciliation-report';
import { Shipment as ShipmentModel } from './shipment';
import { Shop as ShopModel } from './shop';
import { User as UserModel } from './user';
import { WechatAccessToken as WechatAccessTokenModel } from './wechat-access-token';

export type Goods = GoodsModel;
export type Order = OrderModel;
export type OrderGoods = OrderGoodsModel;
export type PaymentNotification = PaymentNotificationModel;
export type ReconciliationReport = ReconciliationReportModel;
export type Shipment = ShipmentModel;
export type Shop = ShopModel;
export type User = UserModel;
export type WechatAccessToken = WechatAccessTokenModel;

export interface Models {
    readonly sequelize: Sequelize;
    readonly Shop: typeof ShopModel;
    readonly Goods: typeof GoodsModel;
    readonly User: typeof UserModel;
    readonly Order: typeof OrderModel;
    readonly OrderGoods: typeof OrderGoodsModel;
    readonly PaymentNotification: typeof PaymentNotificationModel;
    readonly ReconciliationReport: typeof ReconciliationReportModel;
    readonly Shipment: typeof ShipmentModel;
    readonly WechatAccessToken: typeof WechatAccessTokenModel;
}

/**
 * Binds the models to one Sequelize instance and declares how they relate. Model.init binds
 * a class to one database for good, so each instance gets subclasses of its own: two apps in
 * one process (tests, tools) never write into each other's database.
 */
export function initModels(sequelize: Sequelize): Models {
    const Shop = class extends ShopModel {};
    const Goods = class extends GoodsModel {};
    const User = class extends UserModel {};
    const Order = class extends OrderModel {};
    const OrderGoods = class extends OrderGoodsModel {};
    const PaymentNotification = class extends PaymentNotificationModel {};
    const ReconciliationReport = class extends ReconciliationReportModel {};
    const Shipment = class extends ShipmentModel {};
    const WechatAccessToken = class extends WechatAccessTokenModel {};

    Shop.initialise(sequelize);
    Goods.initialise(sequelize);
    User.initialise(sequelize);
    Order.initialise(sequelize);
    OrderGoods.initialise(sequelize);
    PaymentNotification.initialise(sequelize);
    ReconciliationReport.initialise(sequelize);
    Shipment.initialise(sequelize);
    WechatAccessToken.initialise(sequelize);

    Shop.hasMany(Goods, { foreignKey: { name: 'shopId', allowNull: false }, as: 'goods' });
    Goods.belongsTo(Shop, { foreignKey: { name: 'shopId', allowNull: false }, as: 'shop' });
    User.hasMany(Order, { foreignKey: { name: 'userId', allowNull: false }, as: 'orders' });
    Order.belongsTo(User, { foreignKey: { name: 'userId', allowNull: false }, as: 'user' });
    Order.hasMany(OrderGoods, { foreignKey: { name: 'orderId', allowNull: false }, as: 'items' });
    OrderGoods.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });
    Order.hasOne(Shipment, { foreignKey: { name: 'orderId', allowNull: false }, as: 'shipment' });
    Shipment.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });
    OrderGoods.belongsTo(Goods, { foreignKey: { name: 'goodsId', allowNull: false }, as: 'goods' });

    return { sequelize, Shop, Goods, User, Order, OrderGoods, PaymentNotification, ReconciliationReport, Shipment, WechatAccessToken };
}
