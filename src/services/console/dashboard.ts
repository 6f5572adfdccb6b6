import { Op } from 'sequelize';

import type { Alert, Models, Order } from '../../models';
import type { AlertLog } from '../alert-log';
import { addBeijingDays, beijingDayOf, startOfBeijingDay } from '../../wechat/beijing-day';
import type { BeijingDay } from '../../wechat/pay-gateway';
import { OrderStatus } from '../order-states';
import { SHIP_WITHIN_MS } from './order-search';

/** The oldest orders waiting to ship, listed on the dashboard (the count covers them all). */
const TO_SHIP_LISTED = 20;
const ALERTS_LISTED = 10;

export interface Dashboard {
    readonly day: BeijingDay;
    readonly paid: { readonly count: number; readonly amount: number };
    readonly refunds: { readonly count: number; readonly amount: number; readonly awaitingApproval: number };
    readonly toShip: {
        readonly count: number;
        readonly overdue: number;
        readonly oldest: ReadonlyArray<Pick<Order, 'id' | 'outTradeNo' | 'totalFee' | 'paidAt'> & { readonly deadline: Date; readonly overdue: boolean }>;
    };
    readonly afterSale: { readonly pending: number };
    readonly alerts: readonly Alert[];
}

/** The console's first page: today (Beijing) at a glance. Every number is one indexed count or sum. */
export class DashboardService {
    constructor(
        private readonly models: Models,
        private readonly alerts: AlertLog,
    ) {}

    async today(now = new Date()): Promise<Dashboard> {
        const { Order, Refund, RefundRequest } = this.models;
        const day = beijingDayOf(now);
        const during = { [Op.gte]: startOfBeijingDay(day), [Op.lt]: startOfBeijingDay(addBeijingDays(day, 1)) };
        const lateFrom = new Date(now.getTime() - SHIP_WITHIN_MS);
        const [paidCount, paidAmount, refundCount, refundAmount, awaitingApproval, toShip, overdue, oldest, pendingRequests, alerts] = await Promise.all([
            Order.count({ where: { paidAt: during } }),
            Order.sum('totalFee', { where: { paidAt: during } }),
            Refund.count({ where: { createdAt: during, status: { [Op.notIn]: ['failed', 'cancelled', 'disputed'] } } }),
            Refund.sum('refundFee', { where: { createdAt: during, status: { [Op.notIn]: ['failed', 'cancelled', 'disputed'] } } }),
            Refund.count({ where: { status: 'pending_approval' } }),
            Order.count({ where: { status: OrderStatus.paid } }),
            Order.count({ where: { status: OrderStatus.paid, paidAt: { [Op.lt]: lateFrom } } }),
            Order.findAll({ where: { status: OrderStatus.paid }, attributes: ['id', 'outTradeNo', 'totalFee', 'paidAt'], order: [['paidAt', 'ASC'], ['id', 'ASC']], limit: TO_SHIP_LISTED, raw: true }),
            RefundRequest.count({ where: { status: 'pending' } }),
            this.alerts.page(ALERTS_LISTED),
        ]);
        return {
            day,
            paid: { count: paidCount, amount: Number(paidAmount ?? 0) },
            refunds: { count: refundCount, amount: Number(refundAmount ?? 0), awaitingApproval },
            toShip: {
                count: toShip,
                overdue,
                oldest: oldest.map((order) => {
                    const paidAt = new Date(order.paidAt!);
                    const deadline = new Date(paidAt.getTime() + SHIP_WITHIN_MS);
                    return { id: order.id, outTradeNo: order.outTradeNo, totalFee: order.totalFee, paidAt, deadline, overdue: deadline.getTime() < now.getTime() };
                }),
            },
            afterSale: { pending: pendingRequests },
            alerts,
        };
    }
}
