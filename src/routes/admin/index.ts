import type { ServerRoute } from '@hapi/hapi';

import { adminAuditRoutes } from './audit';
import { adminDashboardRoutes } from './dashboard';
import { adminNotificationRoutes } from './notifications';
import { adminOrderPageRoutes } from './order-page';
import { adminPaymentSettingsRoutes } from './payment-settings';
import { adminOrderRoutes } from './orders';
import { adminReconciliationRoutes } from './reconciliations';
import { adminRefundApprovalRoutes } from './refund-approvals';
import { adminRefundRoutes } from './refunds';
import { adminSessionRoutes } from './session';
import { adminShipmentRoutes } from './shipments';
import { adminStaffRoutes } from './staff';

/** The merchant API (/admin/…), one file per resource. */
export const adminRoutes: ServerRoute[] = [
    ...adminSessionRoutes,
    ...adminDashboardRoutes,
    ...adminOrderRoutes,
    ...adminOrderPageRoutes,
    ...adminRefundRoutes,
    ...adminRefundApprovalRoutes,
    ...adminReconciliationRoutes,
    ...adminShipmentRoutes,
    ...adminNotificationRoutes,
    ...adminPaymentSettingsRoutes,
    ...adminStaffRoutes,
    ...adminAuditRoutes,
];
