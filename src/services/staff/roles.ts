import type { StaffRole } from '../../models/staff';

/**
 * What a caller may do on the merchant API, as hapi scopes: every /admin route names the scopes
 * that reach it, each role holds some, and the API key holds them all.
 */
export const SCOPES = {
    /** The dashboard and the alerts it shows. */
    dashboard: 'dashboard',
    /** Orders: the list, an order's page, its shipments and refunds read. */
    ordersRead: 'orders:read',
    /** The orders list as CSV. */
    ordersExport: 'orders:export',
    /** Ship, ship many from a CSV, correct a shipment. */
    shipping: 'shipping',
    /** Shoppers' refund requests: the queue, grant, decline. */
    afterSale: 'after-sale',
    /** Make a refund of an order; the list of refunds across orders. */
    refunds: 'refunds',
    /** Approve or decline a refund that waits for a second staff member. */
    refundApproval: 'refunds:approve',
    /** Reconciliation reports, the calendar, WeChat's bill. */
    reconciliation: 'reconciliation',
    /** Every payment and refund notification received. */
    notifications: 'notifications',
    /** The payment setup's health: keys, certificate expiry, token, WeChat calls. */
    paymentSettings: 'payment-settings',
    /** Staff accounts. */
    staff: 'staff',
    /** The audit trail. */
    audit: 'audit',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

/** owner: everything; operator: orders, shipping, the after-sale queue; finance: refunds, reconciliation, exports. */
export const ROLE_SCOPES: Readonly<Record<StaffRole, readonly Scope[]>> = {
    owner: ALL_SCOPES,
    operator: [SCOPES.dashboard, SCOPES.ordersRead, SCOPES.shipping, SCOPES.afterSale],
    finance: [SCOPES.dashboard, SCOPES.ordersRead, SCOPES.ordersExport, SCOPES.afterSale, SCOPES.refunds, SCOPES.refundApproval,
        SCOPES.reconciliation, SCOPES.notifications, SCOPES.paymentSettings],
};
