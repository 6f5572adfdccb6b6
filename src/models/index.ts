import type { Sequelize } from 'sequelize';

import { Alert as AlertModel } from './alert';
import { AuditEvent as AuditEventModel } from './audit-event';
import { Goods as GoodsModel } from './goods';
import { Order as OrderModel } from './order';
import { OrderGoods as OrderGoodsModel } from './order-goods';
import { PaymentNotification as PaymentNotificationModel } from './payment-notification';
import { ReconciliationReport as ReconciliationReportModel } from './reconciliation-report';
import { Shipment as ShipmentModel } from './shipment';
import { Refund as RefundModel } from './refund';
import { RefundNotification as RefundNotificationModel } from './refund-notification';
import { RefundRequest as RefundRequestModel } from './refund-request';
import { Shop as ShopModel } from './shop';
import { Staff as StaffModel } from './staff';
import { StaffSession as StaffSessionModel } from './staff-session';
import { User as UserModel } from './user';
import { WechatAccessToken as WechatAccessTokenModel } from './wechat-access-token';

export type Alert = AlertModel;
export type AuditEvent = AuditEventModel;
export type Goods = GoodsModel;
export type Order = OrderModel;
export type OrderGoods = OrderGoodsModel;
export type PaymentNotification = PaymentNotificationModel;
export type ReconciliationReport = ReconciliationReportModel;
export type Shipment = ShipmentModel;
export type Refund = RefundModel;
export type RefundNotification = RefundNotificationModel;
export type RefundRequest = RefundRequestModel;
export type Shop = ShopModel;
export type Staff = StaffModel;
export type StaffSession = StaffSessionModel;
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
    readonly Refund: typeof RefundModel;
    readonly RefundNotification: typeof RefundNotificationModel;
    readonly RefundRequest: typeof RefundRequestModel;
    readonly Staff: typeof StaffModel;
    readonly StaffSession: typeof StaffSessionModel;
    readonly AuditEvent: typeof AuditEventModel;
    readonly Alert: typeof AlertModel;
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
    const Refund = class extends RefundModel {};
    const RefundNotification = class extends RefundNotificationModel {};
    const RefundRequest = class extends RefundRequestModel {};
    const Staff = class extends StaffModel {};
    const StaffSession = class extends StaffSessionModel {};
    const AuditEvent = class extends AuditEventModel {};
    const Alert = class extends AlertModel {};

    Shop.initialise(sequelize);
    Goods.initialise(sequelize);
    User.initialise(sequelize);
    Order.initialise(sequelize);
    OrderGoods.initialise(sequelize);
    PaymentNotification.initialise(sequelize);
    ReconciliationReport.initialise(sequelize);
    Shipment.initialise(sequelize);
    WechatAccessToken.initialise(sequelize);
    Refund.initialise(sequelize);
    RefundNotification.initialise(sequelize);
    RefundRequest.initialise(sequelize);
    Staff.initialise(sequelize);
    StaffSession.initialise(sequelize);
    AuditEvent.initialise(sequelize);
    Alert.initialise(sequelize);

    Shop.hasMany(Goods, { foreignKey: { name: 'shopId', allowNull: false }, as: 'goods' });
    Goods.belongsTo(Shop, { foreignKey: { name: 'shopId', allowNull: false }, as: 'shop' });
    User.hasMany(Order, { foreignKey: { name: 'userId', allowNull: false }, as: 'orders' });
    Order.belongsTo(User, { foreignKey: { name: 'userId', allowNull: false }, as: 'user' });
    Order.hasMany(OrderGoods, { foreignKey: { name: 'orderId', allowNull: false }, as: 'items' });
    OrderGoods.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });
    Order.hasOne(Shipment, { foreignKey: { name: 'orderId', allowNull: false }, as: 'shipment' });
    Shipment.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });
    OrderGoods.belongsTo(Goods, { foreignKey: { name: 'goodsId', allowNull: false }, as: 'goods' });

    Order.hasMany(Refund, { foreignKey: { name: 'orderId', allowNull: false }, as: 'refunds' });
    Refund.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });
    Order.hasMany(RefundRequest, { foreignKey: { name: 'orderId', allowNull: false }, as: 'refundRequests' });
    RefundRequest.belongsTo(Order, { foreignKey: { name: 'orderId', allowNull: false }, as: 'order' });

    Staff.hasMany(StaffSession, { foreignKey: { name: 'staffId', allowNull: false }, as: 'sessions' });
    StaffSession.belongsTo(Staff, { foreignKey: { name: 'staffId', allowNull: false }, as: 'staff' });

    return {
        sequelize, Shop, Goods, User, Order, OrderGoods, PaymentNotification, Refund, RefundNotification, RefundRequest, ReconciliationReport, Shipment, WechatAccessToken,
        Staff, StaffSession, AuditEvent, Alert,
    };
}
