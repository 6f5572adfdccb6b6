import type { Models } from '../../models';

// What the audit trail keeps of each kind of subject, before and after a write: the fields a
// write can change, small (a few hundred bytes), never a secret.

export class AuditSubjects {
    constructor(private readonly models: Models) {}

    /** An order, its shipment and its refunds: what shipping and refunding change. */
    async order(id: number) {
        const order = await this.models.Order.findByPk(id, { attributes: ['id', 'outTradeNo', 'status', 'totalFee', 'paidAt', 'shippedAt', 'completedAt'] });
        if (order === null) {
            return null;
        }
        const [shipment, refunds] = await Promise.all([
            this.models.Shipment.findOne({ where: { orderId: id } }),
            this.models.Refund.findAll({ where: { orderId: id }, attributes: ['id', 'outRefundNo', 'refundFee', 'status'], order: [['id', 'ASC']] }),
        ]);
        return {
            id: order.id, out_trade_no: order.outTradeNo, status: order.status, total_fee: order.totalFee,
            paid_at: order.paidAt, shipped_at: order.shippedAt, completed_at: order.completedAt,
            shipment: shipment === null ? null : {
                id: shipment.id, logistics_type: shipment.logisticsType, express_company: shipment.expressCompany, tracking_no: shipment.trackingNo,
                item_desc: shipment.itemDesc, revision: shipment.revision, upload_state: shipment.uploadState,
            },
            refunds: refunds.map((refund) => ({ id: refund.id, out_refund_no: refund.outRefundNo, refund_fee: refund.refundFee, status: refund.status })),
        };
    }

    async refund(id: number) {
        const refund = await this.models.Refund.findByPk(id, {
            attributes: ['id', 'orderId', 'outRefundNo', 'refundFee', 'status', 'refundId', 'failureCode', 'requestedByStaffId', 'reviewedByStaffId'],
        });
        return refund === null ? null : {
            id: refund.id, order_id: refund.orderId, out_refund_no: refund.outRefundNo, refund_fee: refund.refundFee, status: refund.status,
            refund_id: refund.refundId, failure_code: refund.failureCode, requested_by_staff_id: refund.requestedByStaffId, reviewed_by_staff_id: refund.reviewedByStaffId,
        };
    }

    async refundRequest(id: number) {
        const request = await this.models.RefundRequest.findByPk(id, { attributes: ['id', 'orderId', 'status', 'note', 'refundId', 'decidedAt'] });
        return request === null ? null : { id: request.id, order_id: request.orderId, status: request.status, note: request.note, refund_id: request.refundId, decided_at: request.decidedAt };
    }
}
