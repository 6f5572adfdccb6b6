import { Readable } from 'node:stream';

import { toBeijingDateTime } from '../../wechat/time';
import { csvLine } from './csv';
import type { OrderFilter, OrderSearch } from './order-search';

/** Orders read per statement while exporting: one keyset page of the list. */
export const EXPORT_BATCH = 500;

const HEADER = ['id', 'out_trade_no', 'transaction_id', 'user_id', 'openid', 'status', 'total_fee', 'refunded_fee',
    'created_at (Beijing)', 'paid_at (Beijing)', 'shipped_at (Beijing)', 'completed_at (Beijing)'];

const beijing = (date: Date | null) => (date === null ? null : toBeijingDateTime(date));

/**
 * The order list as CSV (UTF-8 with a BOM, so Excel reads 中文 right), newest first, streamed:
 * the next batch of EXPORT_BATCH orders is read only when the client has taken the last one, so
 * an export of any size holds about one batch in memory. `onBatch` hears how many rows each read
 * returned (the test watches it).
 */
export function exportOrders(search: OrderSearch, filter: OrderFilter, onBatch?: (rows: number) => void): Readable {
    async function* lines(): AsyncGenerator<string> {
        yield `\uFEFF${csvLine(HEADER)}`;
        let before: number | undefined;
        for (;;) {
            const rows = await search.rows(filter, before, EXPORT_BATCH);
            onBatch?.(rows.length);
            if (rows.length === 0) {
                return;
            }
            const refunded = await search.refundedOf(rows.map((row) => row.id));
            yield rows.map((row) => csvLine([
                row.id, row.outTradeNo, row.transactionId, row.userId, row.openId, row.status, row.totalFee, refunded.get(row.id) ?? 0,
                beijing(row.createdAt), beijing(row.paidAt), beijing(row.shippedAt), beijing(row.completedAt),
            ])).join('');
            if (rows.length < EXPORT_BATCH) {
                return;
            }
            before = rows.at(-1)!.id;
        }
    }
    // Bytes, not objects: the stream reads ahead by 64 KiB, less than one batch.
    return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
