import Boom from '@hapi/boom';

import type { Models } from '../../models';
import { ITEM_DESC_MAX, LOGISTICS_TYPES, type LogisticsType } from '../../models/shipment';
import type { ShipmentInput, ShipmentService } from '../shipment-service';
import { CsvSyntaxError, parseCsv } from './csv';

/** A CSV of more rows is refused whole: split it. */
export const IMPORT_MAX_ROWS = 1000;

const COLUMNS = ['order_id', 'out_trade_no', 'logistics_type', 'express_company', 'tracking_no', 'item_desc'] as const;
type Column = (typeof COLUMNS)[number];

/** What became of one row: shipped (201), or refused with the status and words POST /admin/orders/{id}/shipments would have answered. */
export interface ImportedRow {
    readonly line: number;
    readonly orderId: number | null;
    readonly outTradeNo: string | null;
    readonly status: number;
    readonly shipmentId: number | null;
    readonly message: string;
}

/**
 * Ships many orders from a CSV of tracking numbers (a header line, then one order per line,
 * named by order_id or out_trade_no). Each row is shipped on its own, as POST
 * /admin/orders/{orderId}/shipments would, so one bad row refuses that row only.
 */
export class ShipmentImport {
    constructor(
        private readonly models: Models,
        private readonly shipments: ShipmentService,
    ) {}

    async ship(csv: string): Promise<ImportedRow[]> {
        let rows: string[][];
        try {
            rows = parseCsv(csv);
        }
        catch (error) {
            throw error instanceof CsvSyntaxError ? Boom.badRequest(error.message) : error;
        }
        const [header, ...lines] = rows;
        if (header === undefined || lines.length === 0) {
            throw Boom.badRequest('the CSV needs a header line and at least one order');
        }
        const names = header.map((name) => name.trim().toLowerCase());
        const unknown = names.filter((name) => !(COLUMNS as readonly string[]).includes(name));
        if (unknown.length > 0 || !(names.includes('order_id') || names.includes('out_trade_no'))) {
            throw Boom.badRequest(`CSV columns are ${COLUMNS.join(', ')} (order_id or out_trade_no required)${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}`);
        }
        if (lines.length > IMPORT_MAX_ROWS) {
            throw Boom.badRequest(`at most ${IMPORT_MAX_ROWS} orders per CSV (this one has ${lines.length})`);
        }
        const results: ImportedRow[] = [];
        for (const [index, fields] of lines.entries()) {
            const cell = (column: Column) => {
                const at = names.indexOf(column);
                const value = at < 0 ? '' : (fields[at] ?? '').trim();
                return value === '' ? undefined : value;
            };
            results.push(await this.shipRow(index + 2, cell));
        }
        return results;
    }

    private async shipRow(line: number, cell: (column: Column) => string | undefined): Promise<ImportedRow> {
        const outTradeNo = cell('out_trade_no') ?? null;
        const idText = cell('order_id');
        let orderId: number | null = idText !== undefined && /^\d{1,10}$/.test(idText) ? Number(idText) : null;
        const refused = (status: number, message: string): ImportedRow => ({ line, orderId, outTradeNo, status, shipmentId: null, message });
        if (idText !== undefined && orderId === null) {
            return refused(400, `order_id "${idText}" is not an order id`);
        }
        if (orderId === null) {
            const order = outTradeNo === null ? null : await this.models.Order.findOne({ where: { outTradeNo }, attributes: ['id'] });
            if (order === null) {
                return refused(outTradeNo === null ? 400 : 404, outTradeNo === null ? 'no order_id or out_trade_no' : `order ${outTradeNo} not found`);
            }
            orderId = order.id;
        }
        const input = await this.inputOf(orderId, cell);
        if (typeof input === 'string') {
            return refused(400, input);
        }
        try {
            const shipment = await this.shipments.ship(orderId, input);
            return { line, orderId, outTradeNo, status: 201, shipmentId: shipment.id, message: 'shipped; the upload to WeChat follows' };
        }
        catch (error) {
            if (!Boom.isBoom(error)) {
                throw error;
            }
            return refused(error.output.statusCode, error.message);
        }
    }

    /** The row as a shipment, or why it is not one. Without item_desc, the order's lines say what is in the parcel. */
    private async inputOf(orderId: number, cell: (column: Column) => string | undefined): Promise<ShipmentInput | string> {
        const logisticsType = (cell('logistics_type') ?? 'express') as LogisticsType;
        if (!LOGISTICS_TYPES.includes(logisticsType)) {
            return `logistics_type must be one of ${LOGISTICS_TYPES.join(', ')}`;
        }
        const express = logisticsType === 'express';
        const expressCompany = cell('express_company') ?? null;
        const trackingNo = cell('tracking_no') ?? null;
        if (express && (expressCompany === null || trackingNo === null)) {
            return 'express needs express_company and tracking_no';
        }
        if ((expressCompany?.length ?? 0) > 64 || (trackingNo?.length ?? 0) > 128) {
            return 'express_company is at most 64 characters, tracking_no at most 128';
        }
        const itemDesc = cell('item_desc') ?? await this.describeLines(orderId);
        if (itemDesc.length > ITEM_DESC_MAX) {
            return `item_desc is at most ${ITEM_DESC_MAX} characters`;
        }
        return { logisticsType, expressCompany: express ? expressCompany : null, trackingNo: express ? trackingNo : null, itemDesc };
    }

    private async describeLines(orderId: number): Promise<string> {
        const lines = await this.models.OrderGoods.findAll({ where: { orderId }, include: [{ model: this.models.Goods, as: 'goods', attributes: ['name'] }], order: [['id', 'ASC']] });
        const text = lines.map((line) => `${line.goods?.name ?? `#${line.goodsId}`} ×${line.count}`).join(', ');
        return (text === '' ? `order ${orderId}` : text).slice(0, ITEM_DESC_MAX);
    }
}
