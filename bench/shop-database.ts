import { randomBytes } from 'node:crypto';

import { QueryTypes, type Sequelize } from 'sequelize';

import { loadConfig } from '../src/config';
import { createSequelize } from '../src/db/sequelize';
import { initModels, type Models } from '../src/models';
import type { SignType } from '../src/wechat/sign';
import { toBeijingCompact } from '../src/wechat/time';
import type { Notification } from './notifications';
import type { PlacedOrder } from './shop-floor';

/** A payment made at WeChat (the simulator's busy day), for the books. */
export interface PaidElsewhere {
    readonly outTradeNo: string;
    readonly transactionId: string;
    readonly totalFee: number;
    readonly paidAt: Date;
}

const BOOKING_BATCH = 2000;

export interface LedgerCheck {
    /** Notifications the app acknowledged (SUCCESS): each of these orders must be paid exactly once. */
    readonly acknowledged: number;
    /** Acknowledged orders not paid with the notified transaction, or whose payment was recorded other than once. */
    readonly wrong: string[];
    /** Orders paid without a notification ever sent for them, or recorded as paid more than once. */
    readonly unexpectedlyPaid: number;
}

/**
 * The bench's own connection to the app's database: to stock orders for the notify runs and
 * to check what the notifications did.
 */
export class ShopDatabase {
    private readonly models: Models;
    private readonly sequelize: Sequelize;

    constructor(databaseUrl: string) {
        this.models = initModels(createSequelize({ ...loadConfig({ DATABASE_URL: databaseUrl }).database, autoMigrate: false }));
        this.sequelize = this.models.sequelize;
    }

    /**
     * Unpaid orders with a prepay, written in one statement: what POST /orders and
     * POST /orders/{id}/pay leave behind, at a rate that keeps up with the notify runs.
     */
    async stockPrepaidOrders(count: number, userIds: readonly number[], totalFee: number, signType: SignType): Promise<Array<Omit<PlacedOrder, 'id'>>> {
        const now = new Date();
        const rows = Array.from({ length: count }, (_, index) => ({
            userId: userIds[index % userIds.length]!,
            outTradeNo: `${toBeijingCompact(now)}${randomBytes(8).toString('hex')}`,
            totalFee,
            prepayId: `wx${randomBytes(14).toString('hex')}`,
            prepayAt: now,
            prepaySignType: signType,
            expiresAt: new Date(now.getTime() + 30 * 60_000),
        }));
        const created = await this.models.Order.bulkCreate(rows, { validate: false });
        return created.map((order, index) => ({ outTradeNo: order.outTradeNo, totalFee, user: index % userIds.length }));
    }

    /**
     * Every acknowledged order is paid exactly once: status paid, its transaction, one `paid`
     * delivery on record. An order whose notification was sent but not answered (a run ended
     * with it in flight) may be paid, once; no other order may be.
     */
    async check(acknowledged: ReadonlyMap<string, Notification>, attempted: ReadonlySet<string>): Promise<LedgerCheck> {
        const orders = await this.sequelize.query<{ out_trade_no: string; status: string; transaction_id: string | null }>(
            'SELECT out_trade_no, status, transaction_id FROM orders', { type: QueryTypes.SELECT });
        const payments = await this.sequelize.query<{ out_trade_no: string; paid: number | string }>(
            "SELECT out_trade_no, COUNT(*) AS paid FROM payment_notifications WHERE outcome = 'paid' GROUP BY out_trade_no", { type: QueryTypes.SELECT });
        const paidRecords = new Map(payments.map((row) => [row.out_trade_no, Number(row.paid)]));
        const wrong: string[] = [];
        let unexpectedlyPaid = 0;
        for (const order of orders) {
            const notification = acknowledged.get(order.out_trade_no);
            const records = paidRecords.get(order.out_trade_no) ?? 0;
            if (notification === undefined) {
                const mayBePaid = attempted.has(order.out_trade_no) && records <= 1;
                unexpectedlyPaid += order.status === 'paid' && !mayBePaid ? 1 : 0;
            }
            else if (order.status !== 'paid' || order.transaction_id !== notification.transactionId || records !== 1) {
                wrong.push(`${order.out_trade_no}: ${order.status}, ${records} paid record(s)`);
            }
        }
        const found = new Set(orders.map((order) => order.out_trade_no));
        for (const outTradeNo of acknowledged.keys()) {
            if (!found.has(outTradeNo)) {
                wrong.push(`${outTradeNo}: no such order`);
            }
        }
        return { acknowledged: acknowledged.size, wrong, unexpectedlyPaid };
    }

    /** Orders paid at WeChat, written as their notifications would have left them, in batches. */
    async bookPaidOrders(payments: readonly PaidElsewhere[], userId: number): Promise<void> {
        for (let at = 0; at < payments.length; at += BOOKING_BATCH) {
            await this.models.Order.bulkCreate(payments.slice(at, at + BOOKING_BATCH).map((payment) => ({
                userId, outTradeNo: payment.outTradeNo, totalFee: payment.totalFee, status: 'paid', transactionId: payment.transactionId,
                paidAt: payment.paidAt, expiresAt: payment.paidAt,
            })), { validate: false });
        }
    }

    /** Forgets the day's reconciliation report, so it is made again. */
    async forgetReport(day: string): Promise<void> {
        await this.models.ReconciliationReport.destroy({ where: { billDate: day } });
    }

    async isPaid(outTradeNo: string): Promise<boolean> {
        const rows = await this.sequelize.query<{ status: string }>('SELECT status FROM orders WHERE out_trade_no = ?', { replacements: [outTradeNo], type: QueryTypes.SELECT });
        return rows[0]?.status === 'paid';
    }

    async close(): Promise<void> {
        await this.sequelize.close();
    }
}
