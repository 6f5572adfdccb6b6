import Boom from '@hapi/boom';
import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { ShippingConfig } from '../config';
import type { Models } from '../models';
import { applyTransition, OrderStatus } from './order-states';
import { Periodic } from './periodic';

const DAY_MS = 86_400_000;
const BATCH = 100;

/**
 * The end of an order's life: the shopper confirms receipt, or ORDER_AUTO_RECEIVE_DAYS after
 * shipping the order completes on its own. Each completion is one conditional UPDATE (the
 * `complete` transition), so instances running the job side by side never complete one twice.
 */
export class OrderReceipt {
    private readonly schedule: Periodic<number>;

    constructor(
        private readonly models: Models,
        private readonly config: ShippingConfig,
        logger: Logger,
    ) {
        this.schedule = new Periodic('auto-receive', config.autoReceiveIntervalMs, (now) => this.completeOverdue(now), logger);
    }

    start(): void {
        this.schedule.start();
    }

    stop(): Promise<void> {
        return this.schedule.stop();
    }

    /** Completes the orders shipped more than the configured days before `now`; how many it completed. */
    runOnce(now = new Date()): Promise<number> {
        return this.schedule.runOnce(now);
    }

    /** The owner's confirmation; another user's order is 404, one not in `shipped` 409. */
    async confirm(orderId: number, userId: number): Promise<void> {
        const order = await this.models.Order.findOne({ where: { id: orderId, userId }, attributes: ['id', 'status'] });
        if (!order) {
            throw Boom.notFound(`order ${orderId} not found`);
        }
        if (order.status !== OrderStatus.shipped || !(await applyTransition(this.models, orderId, 'complete', OrderStatus.shipped, { values: { completedAt: new Date() } }))) {
            throw Boom.conflict(`order ${orderId} is ${order.status}: only a shipped order's receipt can be confirmed`);
        }
    }

    private async completeOverdue(now: Date): Promise<number> {
        const overdue = await this.models.Order.findAll({
            where: { status: OrderStatus.shipped, shippedAt: { [Op.lte]: new Date(now.getTime() - this.config.autoReceiveDays * DAY_MS) } },
            attributes: ['id'],
            order: [['shippedAt', 'ASC']],
            limit: BATCH,
        });
        let completed = 0;
        for (const { id } of overdue) {
            if (await applyTransition(this.models, id, 'complete', OrderStatus.shipped, { values: { completedAt: now } })) {
                completed += 1;
            }
        }
        return completed;
    }
}
