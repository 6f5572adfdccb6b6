import type { Request, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { Shipment } from '../../models';
import { ITEM_DESC_MAX, UPLOAD_STATES, type LogisticsType } from '../../models/shipment';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { auditOutcome } from '../../plugins/audit';
import { IMPORT_MAX_ROWS, type ImportedRow } from '../../services/console/shipment-import';
import { auditOrder } from './audited';
import type { ShipmentInput } from '../../services/shipment-service';
import { logisticsTypeSchema } from '../order-view';
import { idParam, modelNamed, swaggerDocs } from '../schemas';

/** Express needs WeChat's company code and the tracking number; the other types carry neither. */
const expressOnly = (schema: Joi.StringSchema) => schema.when('logistics_type', { is: 'express', then: Joi.required(), otherwise: Joi.optional() });

const shipmentPayload = Joi.object({
    // Named for Swagger, while a 400 still names the field.
    logistics_type: modelNamed('LogisticsType', logisticsTypeSchema.required()),
    express_company: expressOnly(Joi.string().trim().min(1).max(64)).description("WeChat's express company code (get_delivery_list), express only").example('YTO'),
    tracking_no: expressOnly(Joi.string().trim().min(1).max(128)).description('the tracking number, express only').example('YT8759710021515'),
    item_desc: Joi.string().trim().min(1).max(ITEM_DESC_MAX).required().description(`what is in the parcel, at most ${ITEM_DESC_MAX} characters`).example('商品1-1 ×2'),
}).label('ShipmentInput');

export const shipmentSchema = Joi.object({
    id: Joi.number().integer().required(),
    order_id: Joi.number().integer().required(),
    logistics_type: logisticsTypeSchema.required(),
    express_company: Joi.string().allow(null).required(),
    tracking_no: Joi.string().allow(null).required(),
    item_desc: Joi.string().required(),
    revision: Joi.number().integer().required().description('1 as shipped, 2 once corrected'),
    upload: Joi.object({
        state: Joi.string().valid(...UPLOAD_STATES).required().label('UploadState')
            .description('pending: not yet accepted by WeChat (retried); uploaded: accepted; failed: refused for good (see errcode, reason)'),
        attempts: Joi.number().integer().required().description('failed attempts since the last change'),
        accepted_uploads: Joi.number().integer().required().description('uploads WeChat accepted: it takes one and one correction'),
        errcode: Joi.number().integer().allow(null).required().description("WeChat's errcode for the last failed attempt"),
        errmsg: Joi.string().allow(null).required().description("WeChat's errmsg for it"),
        reason: Joi.string().allow(null).required().description('what the failure means, and whether it is retried'),
        next_attempt_at: Joi.date().allow(null).required().description('when a pending upload is tried next'),
        uploaded_at: Joi.date().allow(null).required(),
    }).required().label('ShipmentUpload'),
    created_at: Joi.date().required(),
}).label('Shipment');

export function toShipmentView(shipment: Shipment) {
    return {
        id: shipment.id,
        order_id: shipment.orderId,
        logistics_type: shipment.logisticsType,
        express_company: shipment.expressCompany,
        tracking_no: shipment.trackingNo,
        item_desc: shipment.itemDesc,
        revision: shipment.revision,
        upload: {
            state: shipment.uploadState,
            attempts: shipment.attempts,
            accepted_uploads: shipment.acceptedUploads,
            errcode: shipment.lastErrcode,
            errmsg: shipment.lastErrmsg,
            reason: shipment.failureReason,
            next_attempt_at: shipment.uploadState === 'pending' ? shipment.nextAttemptAt : null,
            uploaded_at: shipment.uploadedAt,
        },
        created_at: shipment.createdAt,
    };
}

function inputOf(request: Request): ShipmentInput {
    const payload = request.payload as { logistics_type: LogisticsType; express_company?: string; tracking_no?: string; item_desc: string };
    const express = payload.logistics_type === 'express';
    return {
        logisticsType: payload.logistics_type,
        expressCompany: express ? payload.express_company! : null,
        trackingNo: express ? payload.tracking_no! : null,
        itemDesc: payload.item_desc,
    };
}

const orderParams = Joi.object({ orderId: idParam('order') });
const UPLOAD_NOTE = 'The upload to WeChat\'s order-shipping service (upload_shipping_info) runs in the background and is retried '
    + 'until WeChat accepts it; read its state with GET /admin/orders/{orderId}/shipments.';

const importedSchema = Joi.object({
    line: Joi.number().integer().required().description('the CSV line (the header is line 1)'),
    order_id: Joi.number().integer().allow(null).required(),
    out_trade_no: Joi.string().allow(null).required(),
    status: Joi.number().integer().required().description('201 shipped; else what POST /admin/orders/{orderId}/shipments would have answered (400, 404, 409)'),
    shipment_id: Joi.number().integer().allow(null).required(),
    message: Joi.string().required(),
}).label('ImportedShipment');

const toImportedView = (row: ImportedRow) => ({
    line: row.line, order_id: row.orderId, out_trade_no: row.outTradeNo, status: row.status, shipment_id: row.shipmentId, message: row.message,
});

/** The merchant ships paid orders; WeChat's order-shipping service hears of each shipment. */
export const adminShipmentRoutes: ServerRoute[] = [
    {
        method: 'POST',
        path: '/admin/shipments/import',
        options: {
            auth: adminAccess(SCOPES.shipping),
            tags: ['api', 'admin'],
            description: 'Ships many orders from a CSV of tracking numbers, with a result per row',
            notes: `Body: text/csv, a header line naming the columns (order_id or out_trade_no; express_company, tracking_no; optional logistics_type, `
                + `default express, and item_desc, default the order's lines), then one order per line, at most ${IMPORT_MAX_ROWS}. Each row is shipped as `
                + 'POST /admin/orders/{orderId}/shipments would ship it: a bad row is refused on its own, with its status and words. 400: the CSV itself does not read.',
            plugins: { ...swaggerDocs({ admin: true, errors: [400] }), audit: { subject: 'shipment_import' } },
            payload: { parse: true, allow: ['text/csv', 'text/plain'], maxBytes: 512 * 1024 },
            validate: { payload: Joi.alternatives(Joi.string(), Joi.binary()).required().description('the CSV').label('ShipmentCsv') },
            response: { schema: Joi.object({ results: Joi.array().items(importedSchema).required().label('ImportedShipments') }).label('ShipmentImport') },
            handler: async (request) => {
                const csv = Buffer.isBuffer(request.payload) ? request.payload.toString('utf8') : String(request.payload);
                const results = await request.services().shipmentImport.ship(csv);
                const views = results.map(toImportedView);
                auditOutcome(request, views);
                return { results: views };
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/orders/{orderId}/shipments',
        options: {
            auth: adminAccess(SCOPES.shipping),
            tags: ['api', 'admin'],
            description: 'Ships a paid order: the order reads shipped, and the shipment is uploaded to WeChat',
            notes: `${UPLOAD_NOTE} 400 names a missing or bad field (express needs express_company and tracking_no). `
                + '409: the order is not paid (already shipped: correct the shipment with PUT).',
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409] }), audit: auditOrder },
            validate: { params: orderParams, payload: shipmentPayload },
            response: { status: { 201: shipmentSchema } },
            handler: async (request, h) => {
                const shipment = await request.services().shipments.ship(request.params.orderId as number, inputOf(request));
                return h.response(toShipmentView(shipment)).code(201);
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/orders/{orderId}/shipments',
        options: {
            auth: adminAccess(SCOPES.ordersRead),
            tags: ['api', 'admin'],
            description: "An order's shipments, with each upload's state and WeChat's errcode and message when it failed",
            notes: 'Whole, not paged: an order has one shipment (a correction replaces it).',
            plugins: swaggerDocs({ admin: true, errors: [400, 404] }),
            validate: { params: orderParams },
            response: { schema: Joi.array().items(shipmentSchema).label('Shipments') },
            handler: async (request) => (await request.services().shipments.list(request.params.orderId as number)).map(toShipmentView),
        },
    },
    {
        method: 'PUT',
        path: '/admin/orders/{orderId}/shipments/{shipmentId}',
        options: {
            auth: adminAccess(SCOPES.shipping),
            tags: ['api', 'admin'],
            description: 'Corrects a shipment (wrong tracking number, other company) and uploads it again',
            notes: `${UPLOAD_NOTE} WeChat accepts one correction after the first accepted upload; a correction before WeChat accepted `
                + 'anything replaces the first upload. 409: the correction is used, the order is no longer shipped (received, refunded), '
                + 'or the shipment changed meanwhile.',
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409] }), audit: auditOrder },
            validate: { params: orderParams.keys({ shipmentId: idParam('shipment') }), payload: shipmentPayload },
            response: { schema: shipmentSchema },
            handler: async (request) => toShipmentView(await request.services().shipments.correct(
                request.params.orderId as number, request.params.shipmentId as number, inputOf(request))),
        },
    },
];
