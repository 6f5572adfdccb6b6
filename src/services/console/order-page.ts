import type { AuditStore } from '../../db/audit';
import type { AuditEvent, Models, Order, Refund, RefundRequest, Shipment } from '../../models';
import type { Delivery, DeliveryLog, PaidAmounts } from '../delivery-log';
import type { OrderService } from '../order-service';

/** One moment in an order's life, for the console's timeline. */
export interface TimelineEntry {
    readonly at: Date;
    /** `order.created`, `order.paid`, `notification.payment`, `refund.succeeded`, `staff.write`… */
    readonly event: string;
    readonly detail: string;
    /** The staff member (or "api-key") behind it, for staff writes. */
    readonly actor: string | null;
}

export interface OrderPage {
    readonly order: Order;
    readonly openId: string | null;
    readonly paid: PaidAmounts;
    readonly deliveries: readonly Delivery[];
    readonly refunds: readonly Refund[];
    readonly refundRequests: readonly RefundRequest[];
    readonly shipments: readonly Shipment[];
    readonly timeline: readonly TimelineEntry[];
}

/** Staff writes kept per order page (the whole trail is at GET /admin/audit). */
const STAFF_WRITES_SHOWN = 100;

/** Everything the console shows on an order's page, read once: no call to WeChat. */
export class OrderPages {
    constructor(
        private readonly models: Models,
        private readonly orders: OrderService,
        private readonly deliveries: DeliveryLog,
        private readonly audit: AuditStore,
    ) {}

    async of(orderId: number): Promise<OrderPage> {
        const order = await this.orders.findAny(orderId);
        const [user, paid, deliveries, refunds, refundRequests, shipments, writes] = await Promise.all([
            this.models.User.findByPk(order.userId, { attributes: ['openId'] }),
            this.deliveries.paidAmountsOf(order.outTradeNo),
            this.deliveries.ofOrder(order.outTradeNo),
            this.models.Refund.findAll({ where: { orderId }, order: [['id', 'ASC']] }),
            this.models.RefundRequest.findAll({ where: { orderId }, order: [['id', 'ASC']] }),
            this.models.Shipment.findAll({ where: { orderId }, order: [['id', 'ASC']] }),
            this.audit.page({ subjectType: 'order', subjectId: String(orderId) }, STAFF_WRITES_SHOWN),
        ]);
        return {
            order, openId: user?.openId ?? null, paid, deliveries, refunds, refundRequests, shipments,
            timeline: timelineOf(order, deliveries, refunds, refundRequests, shipments, writes),
        };
    }
}

function timelineOf(order: Order, deliveries: readonly Delivery[], refunds: readonly Refund[], requests: readonly RefundRequest[],
    shipments: readonly Shipment[], writes: readonly AuditEvent[]): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    const add = (at: Date | null | undefined, event: string, detail: string, actor: string | null = null) => {
        if (at) {
            entries.push({ at, event, detail, actor });
        }
    };
    add(order.createdAt, 'order.created', `order ${order.outTradeNo} placed, ${order.totalFee} fen`);
    add(order.prepayAt, 'order.prepay', 'WeChat Pay prepay made (the shopper was shown the pay sheet)');
    add(order.paidAt, 'order.paid', `paid, WeChat transaction ${order.transactionId ?? '?'}`);
    for (const delivery of deliveries) {
        add(delivery.receivedAt, `notification.${delivery.kind}`, `${delivery.kind} notification: ${delivery.outcome}${delivery.reason ? ` (${delivery.reason})` : ''}`);
    }
    add(order.shippedAt, 'order.shipped', 'shipped');
    for (const shipment of shipments) {
        add(shipment.uploadedAt, 'shipment.uploaded', `shipment (revision ${shipment.revision}) accepted by WeChat's order-shipping service`);
    }
    for (const request of requests) {
        add(request.createdAt, 'refund_request.created', `the shopper asked for a refund: ${request.reason}`);
        add(request.decidedAt, `refund_request.${request.status}`, `refund request ${request.status}${request.note ? `: ${request.note}` : ''}`);
    }
    for (const refund of refunds) {
        add(refund.createdAt, 'refund.created', `refund of ${refund.refundFee} fen ${refund.status === 'pending_approval' ? 'waiting for approval' : 'asked for'} (${refund.outRefundNo})`);
        add(refund.acceptedAt, 'refund.accepted', `WeChat accepted refund ${refund.outRefundNo}`);
        add(refund.succeededAt, 'refund.succeeded', `refund ${refund.outRefundNo} succeeded: ${refund.refundFee} fen back to the shopper`);
        if (refund.status === 'failed' || refund.status === 'cancelled') {
            add(refund.updatedAt, `refund.${refund.status}`, `refund ${refund.outRefundNo} ${refund.status}: ${refund.failureMessage ?? refund.failureCode ?? ''}`);
        }
    }
    add(order.completedAt, 'order.completed', 'receipt confirmed');
    for (const write of writes) {
        add(write.createdAt, 'staff.write', `${write.action} → ${write.statusCode}`, write.staffName ?? 'api-key');
    }
    return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}
