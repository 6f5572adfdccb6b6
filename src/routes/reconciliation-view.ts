import type { ReconciliationReport } from '../models';
import type { Discrepancy } from '../services/bill-comparison';

/** A stored report as the merchant API and the CLI show it: snake_case, null where a value does not apply. */
export function toReconciliationView(report: ReconciliationReport) {
    const discrepancies = JSON.parse(report.discrepancies) as Discrepancy[];
    return {
        bill_date: report.billDate,
        status: report.status,
        bill_payments: report.billPayments,
        bill_refunds: report.billRefunds,
        our_payments: report.ourPayments,
        our_refunds: report.ourRefunds,
        discrepancy_count: report.discrepancyCount,
        discrepancies: discrepancies.map((found) => ({
            kind: found.kind,
            out_trade_no: found.outTradeNo,
            out_refund_no: found.outRefundNo ?? null,
            wechat_fee: found.wechatFee ?? null,
            our_fee: found.ourFee ?? null,
            healed: found.healed ?? null,
        })),
        created_at: report.createdAt,
    };
}

export type ReconciliationView = ReturnType<typeof toReconciliationView>;
