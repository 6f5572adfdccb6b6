import { QueryTypes, type Sequelize } from 'sequelize';

import { databaseFromEnv } from '../config/database';
import { createSequelize } from '../src/db/sequelize';
import type { Notification } from './notifications';

export interface LedgerCheck {
    readonly notified: number;
    /** Notified orders that are not paid with the notified transaction, or whose payment was recorded other than once. */
    readonly wrong: string[];
    /** Orders paid although the bench never notified them. */
    readonly unexpectedlyPaid: number;
}

/** The bench's own connection to the app's database, to check what the notifications did. */
export class Ledger {
    private readonly sequelize: Sequelize;

    constructor(databaseUrl: string) {
        this.sequelize = createSequelize({ ...databaseFromEnv({ DATABASE_URL: databaseUrl }), autoMigrate: false });
    }

    /** Every notified order is paid exactly once: status paid, our transaction, one `paid` delivery on record. */
    async check(notified: ReadonlyMap<string, Notification>): Promise<LedgerCheck> {
        const orders = await this.sequelize.query<{ out_trade_no: string; status: string; transaction_id: string | null }>(
            'SELECT out_trade_no, status, transaction_id FROM orders', { type: QueryTypes.SELECT });
        const payments = await this.sequelize.query<{ out_trade_no: string; paid: number | string }>(
            "SELECT out_trade_no, COUNT(*) AS paid FROM payment_notifications WHERE outcome = 'paid' GROUP BY out_trade_no", { type: QueryTypes.SELECT });
        const paidRecords = new Map(payments.map((row) => [row.out_trade_no, Number(row.paid)]));
        const wrong: string[] = [];
        let unexpectedlyPaid = 0;
        for (const order of orders) {
            const notification = notified.get(order.out_trade_no);
            if (notification === undefined) {
                unexpectedlyPaid += order.status === 'paid' ? 1 : 0;
            }
            else if (order.status !== 'paid' || order.transaction_id !== notification.transactionId || paidRecords.get(order.out_trade_no) !== 1) {
                wrong.push(`${order.out_trade_no}: ${order.status}, ${paidRecords.get(order.out_trade_no) ?? 0} paid record(s)`);
            }
        }
        const found = new Set(orders.map((order) => order.out_trade_no));
        for (const outTradeNo of notified.keys()) {
            if (!found.has(outTradeNo)) {
                wrong.push(`${outTradeNo}: no such order`);
            }
        }
        return { notified: notified.size, wrong, unexpectedlyPaid };
    }

    async isPaid(outTradeNo: string): Promise<boolean> {
        const rows = await this.sequelize.query<{ status: string }>('SELECT status FROM orders WHERE out_trade_no = ?', { replacements: [outTradeNo], type: QueryTypes.SELECT });
        return rows[0]?.status === 'paid';
    }

    async close(): Promise<void> {
        await this.sequelize.close();
    }
}
