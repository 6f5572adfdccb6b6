import Boom from '@hapi/boom';

import { updateWhere } from '../db/rows';
import type { Models, Shipment } from '../models';
import type { LogisticsType } from '../models/shipment';
import { applyTransition, OrderStatus } from './order-states';
import type { ShipmentUploader } from './shipment-uploader';

export interface ShipmentInput {
    readonly logisticsType: LogisticsType;
    readonly expressCompany: string | null;
    readonly trackingNo: string | null;
    readonly itemDesc: string;
}

/** WeChat accepts a shipment's upload once, and one correction of it. */
const MAX_ACCEPTED_UPLOADS = 2;

/**
 * The merchant ships a paid order: the shipment is stored with the order's move to `shipped`
 * (one transaction), then uploaded to WeChat in the background by the ShipmentUploader.
 */
export class ShipmentService {
    constructor(
        private readonly models: Models,
        private readonly uploader: ShipmentUploader,
    ) {}

    async ship(orderId: number, input: ShipmentInput): Promise<Shipment> {
        const now = new Date();
        const shipment = await this.models.sequelize.transaction(async (transaction) => {
            const order = await this.models.Order.findByPk(orderId, { attributes: ['id', 'status'], transaction });
            if (!order) {
                throw Boom.notFound(`order ${orderId} not found`);
            }
            if (order.status !== OrderStatus.paid || !(await applyTransition(this.models, orderId, 'ship', OrderStatus.paid, { values: { shippedAt: now }, transaction }))) {
                throw Boom.conflict(`order ${orderId} is ${order.status}: only a paid order can be shipped (correct a shipment with PUT)`);
            }
            return this.models.Shipment.create({ orderId, ...input, nextAttemptAt: now }, { transaction });
        });
        this.uploader.uploadSoon(shipment.id);
        return this.findOne(orderId, shipment.id);
    }

    /**
     * Replaces what was shipped and uploads it again. WeChat takes one correction after its
     * first accepted upload; a correction before any was accepted replaces the first upload.
     */
    async correct(orderId: number, shipmentId: number, input: ShipmentInput): Promise<Shipment> {
        const shipment = await this.findOne(orderId, shipmentId);
        const order = await this.models.Order.findByPk(orderId, { attributes: ['status'] });
        if (order?.status !== OrderStatus.shipped) {
            throw Boom.conflict(`order ${orderId} is ${order?.status}: only a shipped order's shipment can be corrected`);
        }
        if (shipment.acceptedUploads >= MAX_ACCEPTED_UPLOADS) {
            throw Boom.conflict(`shipment ${shipmentId} was already corrected once at WeChat, which allows no further upload`);
        }
        // Judged against what was read: an upload accepted meanwhile may have used the correction.
        const changed = await updateWhere(this.models.Shipment, {
            ...input,
            revision: shipment.revision + 1,
            uploadState: 'pending',
            attempts: 0,
            nextAttemptAt: new Date(),
            lastErrcode: null,
            lastErrmsg: null,
            failureReason: null,
        }, { id: shipmentId, revision: shipment.revision, acceptedUploads: shipment.acceptedUploads });
        if (changed === 0) {
            throw Boom.conflict(`shipment ${shipmentId} changed meanwhile (an upload or another correction): read it and try again`);
        }
        this.uploader.uploadSoon(shipmentId);
        return this.findOne(orderId, shipmentId);
    }

    async list(orderId: number): Promise<Shipment[]> {
        if (!(await this.models.Order.findByPk(orderId, { attributes: ['id'] }))) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        return this.models.Shipment.findAll({ where: { orderId }, order: [['id', 'ASC']] });
    }

    private async findOne(orderId: number, shipmentId: number): Promise<Shipment> {
        const shipment = await this.models.Shipment.findOne({ where: { id: shipmentId, orderId } });
        if (!shipment) {
            throw Boom.notFound(`shipment ${shipmentId} of order ${orderId} not found`);
        }
        return shipment;
    }
}
