import { parseArgs } from 'node:util';

import dotenv from 'dotenv';

import { loadConfig } from '../config';
import { createSequelize } from '../db/sequelize';
import { createLogger } from '../logger';
import { initModels } from '../models';
import { toReconciliationView, type ReconciliationView } from '../routes/reconciliation-view';
import { createServices } from '../services';
import { isBeijingDay } from '../wechat/beijing-day';
import { createWechatHttpClient } from '../wechat/http';

// npm run reconcile -- --date YYYY-MM-DD: the day's stored report, or one made now, as a table.
// Exit status: 0 the books agree, 2 they disagree (the table lists how), 1 it could not be made.

const EXIT_DISAGREED = 2;

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { date: { type: 'string' } } });
    if (values.date === undefined || !isBeijingDay(values.date)) {
        process.stderr.write('usage: npm run reconcile -- --date YYYY-MM-DD (a Beijing day)\n');
        return 1;
    }
    dotenv.config({ quiet: true });
    const config = loadConfig(process.env);
    // Logs (the ALERT lines among them) go to stderr, so stdout is the table alone.
    const logger = createLogger(config, { write: (line: string) => void process.stderr.write(line) });
    const models = initModels(createSequelize(config.database));
    try {
        // The bill needs no merchant certificate: no /secapi route for this process.
        const secapi = { baseUrl: config.wechat.payBaseUrl, agent: undefined };
        const services = createServices({ config, models, http: createWechatHttpClient(config.wechat.httpTimeoutMs), logger, secapi });
        const report = toReconciliationView(await services.reconciliation.reportFor(values.date));
        process.stdout.write(formatReport(report));
        return report.status === 'agreed' ? 0 : EXIT_DISAGREED;
    }
    finally {
        await models.sequelize.close();
    }
}

/** The report as a plain-text table: a summary line, then one row per discrepancy. */
function formatReport(report: ReconciliationView): string {
    const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
    const lines = [
        `Reconciliation of ${report.bill_date}: ${report.status}`,
        `WeChat's bill: ${plural(report.bill_payments, 'payment')}, ${plural(report.bill_refunds, 'refund')}; `
            + `our books: ${plural(report.our_payments, 'payment')}, ${plural(report.our_refunds, 'refund')}`,
    ];
    if (report.discrepancies.length > 0) {
        const header = ['kind', 'out_trade_no', 'out_refund_no', 'wechat_fee', 'our_fee', 'healed'];
        const shown = (value: string | number | boolean | null) => (value === null ? '-' : String(value));
        const rows = report.discrepancies.map((found) => [found.kind, found.out_trade_no, found.out_refund_no, found.wechat_fee, found.our_fee, found.healed].map(shown));
        const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => row[column]!.length)));
        const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
        lines.push('', line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), '', 'Amounts in fen.');
    }
    return `${lines.join('\n')}\n`;
}

main().then((code) => {
    process.exitCode = code;
}, (error: unknown) => {
    process.stderr.write(`reconcile failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
});
