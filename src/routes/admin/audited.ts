import type { AuditSetting } from '../../plugins/audit';
import { toStaffView } from '../staff-view';

// The subjects the merchant API's writes name in the audit trail, and how each is snapshotted.

const idParam = (name: string): AuditSetting['id'] => (request) => request.params[name] as number | undefined;

/** Shipping, refunding: the order with its shipment and refunds. */
export const auditOrder: AuditSetting = { subject: 'order', id: idParam('orderId'), snapshot: (services, id) => services.auditSubjects.order(Number(id)) };

export const auditRefund: AuditSetting = { subject: 'refund', id: idParam('refundId'), snapshot: (services, id) => services.auditSubjects.refund(Number(id)) };

export const auditRefundRequest: AuditSetting = {
    subject: 'refund_request', id: idParam('requestId'), snapshot: (services, id) => services.auditSubjects.refundRequest(Number(id)),
};

export const auditStaff: AuditSetting = { subject: 'staff', id: idParam('staffId'), snapshot: async (services, id) => toStaffView(await services.staff.get(Number(id))) };
