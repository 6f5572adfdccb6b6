import type { Agent } from 'node:https';

import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';

import type { AppConfig } from '../config';
import { AlertStore } from '../db/alerts';
import { AuditStore } from '../db/audit';
import { StaffStore } from '../db/staff';
import type { Models } from '../models';
import { AlertLog } from './alert-log';
import { DashboardService } from './console/dashboard';
import { OrderPages } from './console/order-page';
import { OrderSearch } from './console/order-search';
import { PaymentSettingsReport } from './console/payment-settings';
import { ReconciliationCalendar } from './console/reconciliation-calendar';
import { RefundList } from './console/refund-list';
import { ShipmentImport } from './console/shipment-import';
import { DeliveryLog } from './delivery-log';
import { DailyReconciliation } from './daily-reconciliation';
import { HealthService } from './health-service';
import { NotificationRetention } from './notification-retention';
import { NotificationService } from './notification-service';
import { OrderReceipt } from './order-receipt';
import { OrderService } from './order-service';
import { OrderSettlement } from './order-settlement';
import { PaymentService } from './payment-service';
import { Reconciler } from './reconciler';
import { ReconciliationService } from './reconciliation-service';
import { RefundJob } from './refund-job';
import { StoredRefundLedger } from './refund-ledger';
import { RefundNotificationService } from './refund-notification-service';
import { RefundRequestService } from './refund-request-service';
import { RefundService } from './refund-service';
import { ShipmentService } from './shipment-service';
import { ShipmentUploader } from './shipment-uploader';
import { ShopService } from './shop-service';
import { StaffAccounts } from './staff/accounts';
import { AuditSubjects } from './staff/audit-subjects';
import { AuditTrail } from './staff/audit-trail';
import { RefundApprovals } from './staff/refund-approvals';
import { StaffSessions } from './staff/sessions';
import { TokenService } from './token-service';
import { UserService } from './user-service';
import { WxAccessTokens } from './wx-access-token';
import { WxLoginService } from './wx-login-service';
import { WxPayService } from './wx-pay-service';
import { WxShippingService } from './wx-shipping-service';
import { WechatCallLog } from './wechat-call-log';
import type { MerchantCertificate } from '../wechat/merchant-certificate';

export interface Services {
    readonly health: HealthService;
    readonly tokens: TokenService;
    readonly users: UserService;
    readonly shops: ShopService;
    readonly orders: OrderService;
    readonly payments: PaymentService;
    readonly notifications: NotificationService;
    readonly reconciler: Reconciler;
    readonly notificationRetention: NotificationRetention;
    readonly reconciliation: ReconciliationService;
    readonly dailyReconciliation: DailyReconciliation;
    readonly accessTokens: WxAccessTokens;
    readonly shipments: ShipmentService;
    readonly shipmentUploader: ShipmentUploader;
    readonly receipts: OrderReceipt;
    readonly refunds: RefundService;
    readonly refundNotifications: RefundNotificationService;
    readonly refundRequests: RefundRequestService;
    readonly refundJob: RefundJob;
    readonly staff: StaffAccounts;
    readonly staffSessions: StaffSessions;
    readonly audit: AuditTrail;
    readonly auditSubjects: AuditSubjects;
    readonly alerts: AlertLog;
    readonly refundApprovals: RefundApprovals;
    readonly refundList: RefundList;
    readonly orderSearch: OrderSearch;
    readonly orderPages: OrderPages;
    readonly deliveries: DeliveryLog;
    readonly dashboard: DashboardService;
    readonly shipmentImport: ShipmentImport;
    readonly paymentSettings: PaymentSettingsReport;
    readonly reconciliationCalendar: ReconciliationCalendar;
}

export interface ServiceDependencies {
    readonly config: AppConfig;
    readonly models: Models;
    /** The client for every call to WeChat (timeout, keep-alive). */
    readonly http: AxiosInstance;
    readonly logger: Logger;
    /** Where /secapi calls go, and the agent presenting the merchant certificate (none loaded: undefined). */
    readonly secapi: { readonly baseUrl: string; readonly agent: Agent | undefined };
    /** What the HTTP client's observer heard of each call to WeChat (the console's payment settings). */
    readonly wechatCalls?: WechatCallLog;
    /** The certificate /secapi presents, for its serial and expiry. */
    readonly merchantCertificate?: MerchantCertificate;
}

/** Builds each service once per server, handing each only what it needs. */
export function createServices({ config, models, http, logger: baseLogger, secapi, wechatCalls = new WechatCallLog(), merchantCertificate }: ServiceDependencies): Services {
    const alerts = new AlertLog(new AlertStore(models), baseLogger);
    // Every service logs through the tap: their alert.* lines also land in the alerts table.
    const logger = alerts.tap(baseLogger);
    const staffStore = new StaffStore(models);
    const tokens = new TokenService(config.jwt);
    const wxLogin = new WxLoginService(config.wechat, http);
    const wxPay = new WxPayService(config.wechat, http, secapi);
    const settlement = new OrderSettlement(models, logger);
    const payments = new PaymentService(models, wxPay, settlement, config.pay, logger, config.wechat.httpTimeoutMs);
    const refunds = new RefundService(models, wxPay, config.refunds, secapi.agent !== undefined, logger, config.wechat.httpTimeoutMs);
    const reconciliation = new ReconciliationService(models, wxPay, payments, new StoredRefundLedger(models), config.reconciliation, logger);
    const accessTokens = new WxAccessTokens(models, config.wechat, http, logger);
    const deliveries = new DeliveryLog(models);
    const auditStore = new AuditStore(models);
    const orders = new OrderService(models, config.pay);
    const shipmentUploader = new ShipmentUploader(models, new WxShippingService(config.wechat, http, accessTokens), config.shipping, config.wechat.httpTimeoutMs, logger);
    const refundRequests = new RefundRequestService(models, refunds);
    const shipments = new ShipmentService(models, shipmentUploader);
    return {
        health: new HealthService(models),
        tokens,
        users: new UserService(models, wxLogin, tokens, config.wechat.appId, config.cache),
        shops: new ShopService(models, config.cache),
        orders,
        payments,
        notifications: new NotificationService(models, wxPay, settlement, logger),
        reconciler: new Reconciler(models, payments, settlement, config.pay, logger),
        notificationRetention: new NotificationRetention(models, config.notifications, logger),
        reconciliation,
        dailyReconciliation: new DailyReconciliation(reconciliation, config.reconciliation.daily, logger),
        accessTokens,
        shipments,
        shipmentUploader,
        receipts: new OrderReceipt(models, config.shipping, logger),
        refunds,
        refundNotifications: new RefundNotificationService(models, wxPay, refunds, logger),
        refundRequests,
        refundJob: new RefundJob(models, refunds, config.refunds, logger),
        staff: new StaffAccounts(staffStore),
        staffSessions: new StaffSessions(staffStore, config.staff),
        audit: new AuditTrail(auditStore),
        auditSubjects: new AuditSubjects(models),
        alerts,
        refundApprovals: new RefundApprovals(models, refunds, refundRequests, logger),
        refundList: new RefundList(models),
        orderSearch: new OrderSearch(models),
        orderPages: new OrderPages(models, orders, deliveries, auditStore),
        deliveries,
        dashboard: new DashboardService(models, alerts),
        shipmentImport: new ShipmentImport(models, shipments),
        paymentSettings: new PaymentSettingsReport(config, models, alerts, wechatCalls, merchantCertificate),
        reconciliationCalendar: new ReconciliationCalendar(models, reconciliation, wxPay, { maxBytes: config.reconciliation.billMaxBytes }),
    };
}
